// register_avx2.cpp: installs every AVX2 kernel into the table.
#include "kernels/dispatch.h"

namespace hymt {

void register_avx2_float(KernelTable& t);
void register_avx2_act(KernelTable& t);
void register_avx2_q8_0(KernelTable& t);

void register_avx2_kernels(KernelTable& t) {
  register_avx2_float(t);
  register_avx2_act(t);
  register_avx2_q8_0(t);
}

}  // namespace hymt
