// dispatch.h: the kernel function table, filled once at start-up from the CPU's features.
#pragma once

#include <cstdint>

#include "formats/ggml_type.h"

namespace hymt {

using VecDotFn = float (*)(int64_t n, const void* w, const void* act);

struct KernelTable {
  const char* isa = "ref";
  VecDotFn vec_dot[static_cast<size_t>(WeightType::kCount)] = {};
};

// The table in use (built on first call; HYMT_FORCE_ISA=ref pins the scalar references).
const KernelTable& kernel_table();

}  // namespace hymt
