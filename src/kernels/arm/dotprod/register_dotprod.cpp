// register_dotprod.cpp: installs the Armv8.2 dotprod (SDOT) kernels, after the NEON ones, so a
// format without a dotprod version keeps its NEON kernel (or the reference).
#include "kernels/dispatch.h"

namespace hymt {

void register_dotprod_q8_0(KernelTable& t);
void register_dotprod_stq1_0(KernelTable& t);
void register_dotprod_q2_0c(KernelTable& t);
void register_dotprod_kquant(KernelTable& t);

void register_dotprod_kernels(KernelTable& t) {
  register_dotprod_q8_0(t);
  register_dotprod_stq1_0(t);
  register_dotprod_q2_0c(t);
  register_dotprod_kquant(t);
}

}  // namespace hymt
