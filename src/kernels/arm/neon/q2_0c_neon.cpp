// q2_0c_neon.cpp: Q2_0C, TQ2_0 and TQ1_0 tiles (../q2_0c_tiles.h) built for the neon path:
// baseline Armv8.0 (SMULL/SADALP; MUL/SADALP for ternary codes), by this folder's flags.
#include "kernels/arm/q2_0c_tiles.h"

namespace hymt {

void register_neon_q2_0c(KernelTable& t) { install_q2_0c_tiles(t); }

}  // namespace hymt
