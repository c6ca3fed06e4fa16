// stq1_0_neon.cpp: STQ1_0 (both layouts) tiles (../stq1_0_tiles.h) built for the neon path:
// baseline Armv8.0 (SMULL/SADALP; MUL/SADALP for ternary codes), by this folder's flags.
#include "kernels/arm/stq1_0_tiles.h"

namespace hymt {

void register_neon_stq1_0(KernelTable& t) { install_stq1_0_tiles(t); }

}  // namespace hymt
