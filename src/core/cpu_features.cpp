// cpu_features.cpp: runtime CPU feature detection. GCC's __builtin_cpu_supports also checks that
// the OS saves the wide registers (XCR0), which a raw CPUID bit does not.
#include "core/cpu_features.h"

#if defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace hymt {

namespace {
CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.f16c = __builtin_cpu_supports("f16c");
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx512bw = __builtin_cpu_supports("avx512bw");
  f.avx512vl = __builtin_cpu_supports("avx512vl");
  f.avx512dq = __builtin_cpu_supports("avx512dq");
  f.avx512vnni = __builtin_cpu_supports("avx512vnni");
  f.avx512vbmi = __builtin_cpu_supports("avx512vbmi");
#elif defined(__aarch64__)
  f.neon = true;  // mandatory in AArch64
#if defined(__linux__)
  const unsigned long hw = getauxval(AT_HWCAP);
#ifdef HWCAP_ASIMDDP
  f.dotprod = (hw & HWCAP_ASIMDDP) != 0;
#endif
  const unsigned long hw2 = getauxval(AT_HWCAP2);
#ifdef HWCAP2_I8MM
  f.i8mm = (hw2 & HWCAP2_I8MM) != 0;
#endif
  (void)hw2;
#endif
#endif
  return f;
}
}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures f = detect();
  return f;
}

std::string CpuFeatures::summary() const {
  std::string s;
  auto add = [&](bool b, const char* n) {
    if (b) s += (s.empty() ? "" : " ") + std::string(n);
  };
  add(avx2, "avx2");
  add(fma, "fma");
  add(f16c, "f16c");
  add(avx512f, "avx512f");
  add(avx512bw, "avx512bw");
  add(avx512vl, "avx512vl");
  add(avx512dq, "avx512dq");
  add(avx512vnni, "avx512vnni");
  add(avx512vbmi, "avx512vbmi");
  add(neon, "neon");
  add(dotprod, "dotprod");
  add(i8mm, "i8mm");
  return s.empty() ? "none" : s;
}

}  // namespace hymt
