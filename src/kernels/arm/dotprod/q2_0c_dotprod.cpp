// q2_0c_dotprod.cpp: Q2_0C, TQ2_0 and TQ1_0 tiles (../q2_0c_tiles.h) built for the dotprod path:
// Armv8.2 dotprod (SDOT), chosen by this folder's -march flags.
#include "kernels/arm/q2_0c_tiles.h"

namespace hymt {

void register_dotprod_q2_0c(KernelTable& t) { install_q2_0c_tiles(t); }

}  // namespace hymt
