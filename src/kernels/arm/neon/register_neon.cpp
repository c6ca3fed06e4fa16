// register_neon.cpp: installs the baseline AArch64 (Armv8.0 Advanced SIMD) kernels into the table.
// Everything here runs on every AArch64 CPU (Cortex-A53/A72 boards have no dotprod); the dotprod
// path (../dotprod) is registered on top.
#include "kernels/dispatch.h"

namespace hymt {

void register_neon_float(KernelTable& t);
void register_neon_act(KernelTable& t);
void register_neon_q8_0(KernelTable& t);
void register_neon_stq1_0(KernelTable& t);
void register_neon_q2_0c(KernelTable& t);
void register_neon_kquant(KernelTable& t);

void register_neon_kernels(KernelTable& t) {
  register_neon_attention(t);
  register_neon_float(t);
  register_neon_act(t);
  register_neon_q8_0(t);
  register_neon_stq1_0(t);
  register_neon_q2_0c(t);
  register_neon_kquant(t);
}

}  // namespace hymt
