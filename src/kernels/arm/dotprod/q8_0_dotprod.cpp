// q8_0_dotprod.cpp: Q8_0 and Q4_0 tiles (../q8_0_tiles.h) built for the dotprod path:
// Armv8.2 dotprod (SDOT), chosen by this folder's -march flags.
#include "kernels/arm/q8_0_tiles.h"

namespace hymt {

void register_dotprod_q8_0(KernelTable& t) { install_q8_0_tiles(t); }

}  // namespace hymt
