// q8_0_neon.cpp: Q8_0 and Q4_0 tiles (../q8_0_tiles.h) built for the neon path:
// baseline Armv8.0 (SMULL/SADALP; MUL/SADALP for ternary codes), by this folder's flags.
#include "kernels/arm/q8_0_tiles.h"

namespace hymt {

void register_neon_q8_0(KernelTable& t) { install_q8_0_tiles(t); }

}  // namespace hymt
