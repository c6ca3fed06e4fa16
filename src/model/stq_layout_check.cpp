// stq_layout_check.cpp: decides the STQ1_0 lane layout of a file that does not say it (spec §5.10,
// docs/formats.md). Both layouts read the same bytes as valid weights, only in another column order
// within each 256-weight block, so no statistic of one matrix can tell them apart; the model can.
// The check runs a known reference translation (the fixture prompt) through the model read either
// way and keeps the layout with the lower next-token NLL on the translation; a margin below
// kClearMargin is weak evidence: stride-16 then stays, with a warning that names the override.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>

#include "model/model.h"
#include "model/session.h"
#include "tokenizer/tokenizer.h"

namespace hymt {

namespace {

// FLORES-200 devtest line 79 (CC-BY-SA-4.0), English and its reference German translation (nearly
// word for word), in the HY-MT1.5 prompt: a natural sentence for a real model, and one the demo
// model (models/demo) memorized, so the check is exercised on trained weights in the tests. Short,
// because the check costs two forward passes over it.
constexpr const char* kPrompt =
    "Translate the following segment into German, without additional explanation.\n\n"
    "U.S. President George W. Bush welcomed the announcement.";
constexpr const char* kTarget = "U.S.-Präsident George W. Bush begrüßte die Bekanntgabe.";

// The evidence is clear when the better layout predicts the translation well -- its NLL at most
// half of ln(n_vocab), the NLL of a uniform guess -- and the other layout is worse by kClearMargin
// nats per token. Both conditions are needed: random weights can give logits so large that the two
// layouts differ by several nats while both are far worse than uniform (1.8B-shaped random model:
// 61.0 against 58.3). On the trained demo model quantized to STQ1_0 the right layout scores 0.6-1.0
// and the wrong one 19.7-22.0 (docs/formats.md has the measured values).
constexpr double kClearMargin = 2.0;
constexpr double kSaneFractionOfUniform = 0.5;

// Mean NLL (nats) of ids[n_prompt..] given everything before, or a negative value when the model
// cannot run it (the caller then treats the evidence as weak).
double target_nll(const Model& m, const std::vector<int32_t>& ids, size_t n_prompt, ThreadPool& pool) {
  const int64_t n = static_cast<int64_t>(ids.size());
  const int64_t v = m.hparams().n_vocab;
  // Logits only where they are scored (positions n_prompt-1 .. n-1): the output head over a 120k
  // vocabulary would otherwise cost as much as the layers for the prompt positions.
  const int64_t n_logits = n - static_cast<int64_t>(n_prompt) + 1;
  std::vector<float> logits(static_cast<size_t>(n_logits * v));
  Session s(m, n);
  ForwardScratch scratch;
  SeqBatch b{&s.kv(), ids.data(), n, n_logits};
  if (!forward_batch(m, &b, 1, pool, scratch, logits.data()).ok()) return -1;
  double sum = 0;
  for (size_t t = n_prompt; t < ids.size(); ++t) {
    const float* row = logits.data() + (t - n_prompt) * static_cast<size_t>(v);
    float mx = row[0];
    for (int64_t k = 1; k < v; ++k) mx = std::max(mx, row[k]);
    double z = 0;
    for (int64_t k = 0; k < v; ++k) z += std::exp(static_cast<double>(row[k] - mx));
    const double nll = std::log(z) - static_cast<double>(row[ids[t]] - mx);
    if (!std::isfinite(nll)) return -1;
    sum += nll;
  }
  return sum / static_cast<double>(ids.size() - n_prompt);
}

void warn(const StqLayoutDecision& d, const std::string& path) {
  std::fprintf(stderr,
               "hymt: warning: %s: STQ1_0 lane layout read as stride-16 on weak evidence (%s); if the "
               "output is garbage, set HYMT_STQ_LAYOUT=consecutive (or HYMT_STQ_LAYOUT=stride16 to "
               "silence this)\n",
               path.c_str(), d.detail.c_str());
}

}  // namespace

Status Model::decide_stq_layout() {
  const auto t0 = std::chrono::steady_clock::now();
  StqLayoutDecision d;  // stride-16 unless the check is clear
  d.source = StqLayoutSource::kDefault;

  auto tok = Tokenizer::from_gguf(*file_);
  std::vector<int32_t> ids;
  size_t n_prompt = 0;
  if (tok.ok() && tok.value()->chat_family() != ChatFamily::kNone) {
    auto p = tok.value()->encode_chat({{"user", kPrompt}});
    if (p.ok()) {
      ids = p.value();
      n_prompt = ids.size();
      for (int32_t id : tok.value()->encode(kTarget)) ids.push_back(id);
    }
  }
  for (int32_t id : ids)
    if (id < 0 || id >= hp_.n_vocab) ids.clear();  // a vocabulary larger than the embedding

  if (ids.size() <= n_prompt || n_prompt == 0) {
    d.detail = "self-check not possible: the file has no usable HY chat vocabulary";
  } else {
    ThreadPool pool(static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u)));
    double nll[2];
    const WeightType layouts[2] = {WeightType::kSTQ1_0, WeightType::kSTQ1_0_CONSEC};
    for (int k = 0; k < 2; ++k) {
      StqLayoutDecision trial = d;
      trial.layout = layouts[k];
      file_->set_stq_layout(trial);
      HYMT_RETURN_IF_ERROR(bind());
      nll[k] = target_nll(*this, ids, n_prompt, pool);
    }
    d.nll_stride16 = nll[0];
    d.nll_consecutive = nll[1];
    char buf[160];
    std::snprintf(buf, sizeof buf, "reference-translation NLL %.2f stride-16 vs %.2f consecutive nats/token", nll[0],
                  nll[1]);
    d.detail = buf;
    const double best = std::min(nll[0], nll[1]);
    const double sane = kSaneFractionOfUniform * std::log(static_cast<double>(hp_.n_vocab));
    if (nll[0] < 0 || nll[1] < 0) {
      d.detail += ", the model did not run";
    } else if (best > sane) {
      std::snprintf(buf, sizeof buf, ", neither under %.1f (half of a uniform guess)", sane);
      d.detail += buf;
    } else if (std::fabs(nll[0] - nll[1]) < kClearMargin) {
      std::snprintf(buf, sizeof buf, ", a gap under %.1f", kClearMargin);
      d.detail += buf;
    } else {
      d.source = StqLayoutSource::kSelfCheck;
      d.layout = nll[1] < nll[0] ? WeightType::kSTQ1_0_CONSEC : WeightType::kSTQ1_0;
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  char buf[48];
  std::snprintf(buf, sizeof buf, "; %.0f ms", ms);
  d.detail += buf;
  file_->set_stq_layout(d);
  HYMT_RETURN_IF_ERROR(bind());
  if (d.source == StqLayoutSource::kDefault) warn(d, file_->path());
  return {};
}

}  // namespace hymt
