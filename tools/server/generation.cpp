// generation.cpp: token callbacks -> text chunks, with stop strings.
#include "generation.h"

#include <algorithm>
#include <chrono>

#include "runtime/scheduler.h"

namespace hymt::server {

Generation::Generation(const Tokenizer& tok, std::vector<std::string> stops) : dec_(tok), stops_(std::move(stops)) {
  stops_.erase(std::remove(stops_.begin(), stops_.end(), std::string()), stops_.end());
}

std::shared_ptr<Generation> Generation::start(Engine& engine, Request r, std::vector<std::string> stop_strings) {
  std::shared_ptr<Generation> g(new Generation(*engine.tokenizer(), std::move(stop_strings)));
  if (r.cancel) g->cancel_ = r.cancel;  // the caller's flag (the server's admission) cancels it
  r.cancel = g->cancel_;
  // The engine holds the callbacks until the request ends; they keep the Generation alive.
  r.on_token = [g](const TokenEvent& e) { return g->on_token(e); };
  engine.submit(std::move(r), [g](Result<RequestResult> res) { g->on_done(std::move(res)); });
  return g;
}

void Generation::release_safe_text() {
  // Hold back the longest tail of text_ that is a prefix of some stop string.
  size_t hold = 0;
  for (const std::string& s : stops_)
    for (size_t n = std::min(s.size() - 1, text_.size() - released_); n > hold; --n)
      if (text_.compare(text_.size() - n, n, s, 0, n) == 0) {
        hold = n;
        break;
      }
  const size_t upto = text_.size() - hold;
  if (upto > released_) {
    pending_.text.append(text_, released_, upto - released_);
    released_ = upto;
  }
}

bool Generation::on_token(const TokenEvent& e) {
  const std::string piece = dec_.push(e.id);
  std::lock_guard<std::mutex> lk(mu_);
  pending_.tokens.push_back({e.id, e.logprob, e.top ? *e.top : std::vector<TokenLogprob>{}});
  if (!piece.empty()) {
    // A stop string can only end inside the new piece: search from where it could begin.
    size_t longest = 0;
    for (const std::string& s : stops_) longest = std::max(longest, s.size());
    const size_t from = text_.size() > longest ? text_.size() - longest : 0;
    text_ += piece;
    size_t cut = std::string::npos;
    for (const std::string& s : stops_) cut = std::min(cut, text_.find(s, std::max(from, released_)));
    if (cut != std::string::npos) {
      text_.resize(cut);
      hit_stop_ = true;
    }
    if (hit_stop_) {
      if (text_.size() > released_) pending_.text.append(text_, released_, std::string::npos);
      released_ = text_.size();
    } else {
      release_safe_text();
    }
  }
  cv_.notify_all();
  return !hit_stop_ && !cancel_->load();
}

void Generation::on_done(Result<RequestResult> res) {
  const std::string tail = hit_stop_ ? std::string() : dec_.finish();
  std::lock_guard<std::mutex> lk(mu_);
  if (!hit_stop_) {
    text_ += tail;
    size_t cut = std::string::npos;
    for (const std::string& s : stops_) cut = std::min(cut, text_.find(s, released_));
    if (cut != std::string::npos) text_.resize(cut), hit_stop_ = true;
    if (text_.size() > released_) pending_.text.append(text_, released_, std::string::npos);
    released_ = text_.size();
  }
  result_ = std::move(res);
  done_ = true;
  cv_.notify_all();
}

bool Generation::take(GenChunk* c, double deadline_ms) {
  std::unique_lock<std::mutex> lk(mu_);
  const double wait = std::max(0.0, deadline_ms - steady_ms());
  cv_.wait_for(lk, std::chrono::duration<double, std::milli>(wait),
               [this] { return done_ || !pending_.text.empty() || !pending_.tokens.empty(); });
  c->text = std::move(pending_.text);
  c->tokens = std::move(pending_.tokens);
  pending_ = GenChunk{};
  return !done_;
}

bool Generation::done() {
  std::lock_guard<std::mutex> lk(mu_);
  return done_;
}

std::string Generation::finish_reason() const {
  if (hit_stop_) return "stop";
  if (!result_.ok()) return "error";
  switch (result_->stop) {
    case StopReason::kStopToken:
    case StopReason::kLoop: return "stop";
    case StopReason::kLength: return "length";
    case StopReason::kCancelled: return "cancelled";
  }
  return "stop";
}

}  // namespace hymt::server
