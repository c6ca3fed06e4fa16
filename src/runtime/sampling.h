// sampling.h: next-token choice for translation with Hugging Face semantics
// (spec §7.1): the repetition penalty over every previous id including the
// prompt (each distinct id once: a positive logit is divided by the penalty, a
// negative one multiplied), then temperature, top-k, top-p. Temperature 0 is
// greedy (argmax after the penalty, lowest id on ties). Draws come from a
// seeded SplitMix64, so a given seed reproduces the same output.
//
// The default is plain greedy with the n-gram loop guard and NO repetition
// penalty: the penalty covers the prompt, i.e. exactly the tokens a translation
// must copy (names, numbers, placeholders, glossary targets, and for Chinese
// prompts the common characters of the instruction), and it lowers a logit by
// (1 - 1/p) of its value, which flips an argmax whenever the margin is below
// ~5% of the logit, however confident the model is in probability terms. The
// loop guard handles the failure the penalty is usually meant for, and only
// ever acts on a real loop.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "core/status.h"

namespace hymt {

struct SamplingParams {
  float temperature = 0.0f;         // 0: greedy; > 0: sample
  int top_k = 0;                    // 0: off
  float top_p = 1.0f;               // 1: off; (0, 1]
  float repetition_penalty = 1.0f;  // 1: off; > 0
  uint64_t seed = 0;
  bool loop_guard = true;
  // The model cards' settings (HY-MT1.5 and Hy-MT2 1.8B/7B READMEs).
  static SamplingParams official();
  bool greedy() const { return temperature <= 0.0f; }
};

// Out-of-range settings (negative or non-finite temperature, top_k < 0, top_p
// outside (0, 1], penalty <= 0) as an invalid-argument Status naming the flag.
Status validate_sampling(const SamplingParams& p);

// The HF RepetitionPenaltyLogitsProcessor over `n` logits: every distinct id of
// `history` once.
void apply_repetition_penalty(float* logits, int64_t n, const std::vector<int32_t>& history, float penalty);

// The distribution a sampled step draws from, after temperature, top-k and
// top-p (HF order and tie rules: top-k keeps every logit equal to the k-th
// largest; top-p drops the least likely tokens whose cumulative mass is <= 1 -
// top_p, always keeping the most likely). (id, probability) pairs with a
// non-zero probability, most likely first, ties by id. -inf logits are never
// kept.
std::vector<std::pair<int32_t, double>> sampling_distribution(const float* logits, int64_t n, const SamplingParams& p);

// N-gram loop guard. A loop is the tail of the output being one unit of L
// tokens (1 <= L <= 32) repeated R times in a row with R >= 3 and L * R >= 12
// (so a 1-token unit needs 12 copies, a 4-token phrase 3). A loop whose tokens
// also occur in the prompt (a Markdown table rule, "......" in the source) is
// the source's own repetition and is allowed.
struct LoopGuardParams {
  int max_period = 32;
  int min_repeats = 3;
  int min_tokens = 12;
};
// The unit length L if appending `next` to `generated` closes a loop, else 0.
int loop_period(const std::vector<int32_t>& generated, int32_t next, const LoopGuardParams& g = {});
// True if `needle` occurs contiguously in `haystack`.
bool contains_run(const std::vector<int32_t>& haystack, const int32_t* needle, size_t n);

// One segment's decoding state: the penalty history (prompt + generated), the
// PRNG, the loop guard.
class Sampler {
 public:
  Sampler(const SamplingParams& p, const std::vector<int32_t>& prompt, int64_t n_vocab);

  // Chooses the next id from `logits` (modified in place: penalty, bans).
  // Returns -1 when the loop guard has had to ban more than kMaxBans tokens:
  // the model is stuck and decoding should stop.
  int32_t choose(float* logits);
  // Records an emitted id (it joins the penalty history and the loop guard's
  // view).
  void accept(int32_t id);

  int n_loop_bans() const { return n_bans_; }
  const std::vector<int32_t>& generated() const { return generated_; }
  static constexpr int kMaxBans = 4;

 private:
  int32_t pick(const float* logits);
  SamplingParams p_;
  int64_t n_vocab_;
  std::vector<int32_t> prompt_;
  std::vector<int32_t> seen_ids_;  // distinct ids of prompt + generated (penalty)
  std::vector<uint8_t> seen_;      // n_vocab flags for seen_ids_
  std::vector<int32_t> generated_;
  SplitMix64 rng_;
  int n_bans_ = 0;
};

// Uniform double in [0, 1) from 53 random bits.
double uniform01(SplitMix64& rng);

}  // namespace hymt
