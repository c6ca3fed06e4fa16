// stop_ids.h: the ids that end generation, from a model's metadata. (The token loop itself is the
// scheduler's: runtime/scheduler.h.)
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "model/model.h"

namespace hymt {

// Stop ids a model's metadata names: tokenizer.ggml.{eos,eot,eom}_token_id, plus the HY family's
// safety stops (<｜hy_end▁of▁sentence｜>, <｜hy_EOT｜>) when those tokens exist (spec §3.6).
std::vector<int32_t> default_stop_ids(const Model& m);

}  // namespace hymt
