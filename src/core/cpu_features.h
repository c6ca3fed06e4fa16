// cpu_features.h: what the running CPU can execute, detected once (CPUID on x86, HWCAP on ARM).
// Kernel dispatch reads this; HYMT_FORCE_ISA can pin a lower path for tests.
#pragma once

#include <string>

namespace hymt {

struct CpuFeatures {
  bool avx2 = false, fma = false, f16c = false;
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false, avx512vnni = false;
  bool avx512vbmi = false;
  bool neon = false, dotprod = false, i8mm = false;
  std::string summary() const;  // "avx2 fma f16c avx512f ..."
};

const CpuFeatures& cpu_features();

}  // namespace hymt
