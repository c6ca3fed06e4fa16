// dispatch.cpp: builds the kernel table. Today every entry is the scalar reference; SIMD paths
// (AVX2, AVX-512/VNNI, NEON/dotprod) will override entries here after CPUID checks, and
// HYMT_FORCE_ISA pins one path so tests can compare each against the reference.
#include "kernels/dispatch.h"

#include "formats/format_ref.h"
#include "kernels/kernels.h"

namespace hymt {

namespace {
KernelTable build_table() {
  KernelTable t;
  t.isa = "ref";
  for (size_t i = 0; i < static_cast<size_t>(WeightType::kCount); ++i)
    if (const FormatRef* r = format_ref(static_cast<WeightType>(i))) t.vec_dot[i] = r->vec_dot;
  return t;
}
}  // namespace

const KernelTable& kernel_table() {
  static const KernelTable table = build_table();
  return table;
}

const char* kernel_isa_name() { return kernel_table().isa; }

}  // namespace hymt
