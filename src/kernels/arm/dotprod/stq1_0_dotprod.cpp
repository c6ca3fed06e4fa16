// stq1_0_dotprod.cpp: STQ1_0 (both layouts) tiles (../stq1_0_tiles.h) built for the dotprod path:
// Armv8.2 dotprod (SDOT), chosen by this folder's -march flags.
#include "kernels/arm/stq1_0_tiles.h"

namespace hymt {

void register_dotprod_stq1_0(KernelTable& t) { install_stq1_0_tiles(t); }

}  // namespace hymt
