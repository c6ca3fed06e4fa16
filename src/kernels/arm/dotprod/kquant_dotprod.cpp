// kquant_dotprod.cpp: K-quant tiles (../kquant_tiles.h) built for the dotprod path:
// Armv8.2 dotprod (SDOT), chosen by this folder's -march flags.
#include "kernels/arm/kquant_tiles.h"

namespace hymt {

void register_dotprod_kquant(KernelTable& t) { install_kquant_tiles(t); }

}  // namespace hymt
