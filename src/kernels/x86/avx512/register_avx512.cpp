// register_avx512.cpp: installs every AVX-512 kernel into the table (after the AVX2 ones, so a
// format without an AVX-512 version keeps its AVX2 kernel).
#include "kernels/dispatch.h"

namespace hymt {

void register_avx512_float(KernelTable& t);
void register_avx512_act(KernelTable& t);
void register_avx512_act_q8_k(KernelTable& t);
void register_avx512_q8_0(KernelTable& t);
void register_avx512_stq1_0(KernelTable& t);
void register_avx512_q2_0c(KernelTable& t);
void register_avx512_q6_k(KernelTable& t);
void register_avx512_kquant(KernelTable& t);
void register_avx512_q4_0(KernelTable& t);
void register_avx512_ternary(KernelTable& t);

void register_avx512_packed(KernelTable& t);
void register_avx512_packed_kquants(KernelTable& t);

void register_avx512_kernels(KernelTable& t) {
  register_avx512_packed(t);
  register_avx512_packed_kquants(t);
  register_avx512_attention(t);
  register_avx512_float(t);
  register_avx512_act(t);
  register_avx512_act_q8_k(t);
  register_avx512_q8_0(t);
  register_avx512_stq1_0(t);
  register_avx512_q2_0c(t);
  register_avx512_q6_k(t);
  register_avx512_kquant(t);
  register_avx512_q4_0(t);
  register_avx512_ternary(t);
}

}  // namespace hymt
