// register_avx2.cpp: installs every AVX2 kernel into the table.
#include "kernels/dispatch.h"

namespace hymt {

void register_avx2_float(KernelTable& t);
void register_avx2_act(KernelTable& t);
void register_avx2_act_q8_k(KernelTable& t);
void register_avx2_q8_0(KernelTable& t);
void register_avx2_q6_k(KernelTable& t);
void register_avx2_kquant(KernelTable& t);
void register_avx2_ternary(KernelTable& t);
void register_avx2_stq1_0(KernelTable& t);
void register_avx2_q2_0c(KernelTable& t);
void register_avx2_q4_0(KernelTable& t);

void register_avx2_packed(KernelTable& t);
void register_avx2_packed_lowbit(KernelTable& t);
void register_avx2_packed_kquants(KernelTable& t);

void register_avx2_kernels(KernelTable& t) {
  register_avx2_packed(t);
  register_avx2_packed_lowbit(t);
  register_avx2_packed_kquants(t);
  register_avx2_attention(t);
  register_avx2_float(t);
  register_avx2_act(t);
  register_avx2_act_q8_k(t);
  register_avx2_q8_0(t);
  register_avx2_q6_k(t);
  register_avx2_kquant(t);
  register_avx2_ternary(t);
  register_avx2_stq1_0(t);
  register_avx2_q2_0c(t);
  register_avx2_q4_0(t);
}

}  // namespace hymt
