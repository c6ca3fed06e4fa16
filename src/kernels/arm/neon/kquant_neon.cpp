// kquant_neon.cpp: K-quant tiles (../kquant_tiles.h) built for the neon path:
// baseline Armv8.0 (SMULL/SADALP; MUL/SADALP for ternary codes), by this folder's flags.
#include "kernels/arm/kquant_tiles.h"

namespace hymt {

void register_neon_kquant(KernelTable& t) { install_kquant_tiles(t); }

}  // namespace hymt
