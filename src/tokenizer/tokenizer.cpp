// tokenizer.cpp: encoding (added tokens -> pre-tokenizer -> byte-level BPE), decoding and the
// indexes both loaders share. BPE follows Hugging Face's rule: repeatedly merge the adjacent pair
// with the lowest merge rank, the leftmost first among equal ranks, using a heap so that long words
// (Thai, Khmer, Tibetan runs without spaces) stay O(n log n).
#include "tokenizer/tokenizer.h"

#include <algorithm>

#include "tokenizer/byte_unicode.h"

namespace hymt {

namespace {

uint64_t pair_key(int32_t a, int32_t b) { return static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32 | static_cast<uint32_t>(b); }

// Token text -> bytes, as the ByteLevel decoder does it: every character must stand for a byte,
// otherwise the token is taken as its own UTF-8 text.
std::string text_to_bytes(const std::string& text) {
  std::string out;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = 0; i < text.size();) {
    Utf8Char c = utf8_decode_one(p + i, text.size() - i);
    const int b = c.error ? -1 : codepoint_to_byte(c.cp);
    if (b < 0) return text;
    out += static_cast<char>(b);
    i += c.len;
  }
  return out;
}

}  // namespace

Status Tokenizer::finish(const std::vector<std::pair<std::string, std::string>>& merge_pairs) {
  const auto n = static_cast<int32_t>(tokens_.size());
  if (n == 0) return corrupt_file("the vocabulary is empty");
  token_index_.reserve(tokens_.size());
  for (int32_t id = 0; id < n; ++id) {
    if (types_[static_cast<size_t>(id)] == TokenType::kUnused && tokens_[static_cast<size_t>(id)].empty()) continue;
    token_index_.emplace(tokens_[static_cast<size_t>(id)], id);
  }
  for (int b = 0; b < 256; ++b) {
    auto it = token_index_.find(byte_token(static_cast<uint8_t>(b)));
    byte_id_[b] = it == token_index_.end() ? -1 : it->second;
  }
  size_t cap = 16;
  while (cap < merge_pairs.size() * 2) cap *= 2;
  merge_table_.assign(cap, MergeSlot{});
  merge_shift_ = 64 - __builtin_ctzll(cap);
  for (size_t r = 0; r < merge_pairs.size(); ++r) {
    const auto& [a, b] = merge_pairs[r];
    auto ia = token_index_.find(a), ib = token_index_.find(b), ic = token_index_.find(a + b);
    if (ia == token_index_.end() || ib == token_index_.end() || ic == token_index_.end())
      return corrupt_file("merge " + std::to_string(r) + " ('" + a + "' + '" + b +
                          "') uses or makes a token that is not in the vocabulary");
    // A repeated pair keeps its last rank, as Hugging Face's merge map does.
    const uint64_t key = pair_key(ia->second, ib->second);
    size_t h = (key * 0x9E3779B97F4A7C15ull) >> merge_shift_;
    while (merge_table_[h].key != key && merge_table_[h].key != ~uint64_t{0}) h = (h + 1) & (cap - 1);
    if (merge_table_[h].key != key) ++n_merges_;
    merge_table_[h] = {key, Merge{static_cast<int32_t>(r), ic->second}};
  }
  for (size_t i = 0; i < added_.size(); ++i) {
    const AddedEntry& e = added_[i];
    if (e.text.empty()) return corrupt_file("added token " + std::to_string(e.id) + " is empty");
    added_index_.emplace(e.text, i);
    auto& lens = added_lengths_[static_cast<uint8_t>(e.text[0])];
    if (std::find(lens.begin(), lens.end(), e.text.size()) == lens.end()) lens.push_back(e.text.size());
  }
  for (auto& lens : added_lengths_) std::sort(lens.rbegin(), lens.rend());
  bytes_.resize(tokens_.size());
  for (int32_t id = 0; id < n; ++id) bytes_[static_cast<size_t>(id)] = text_to_bytes(tokens_[static_cast<size_t>(id)]);

  // Chat family and stop tokens (spec §3.5, §3.6).
  auto id_of = [&](const char* s) { return token_id(s); };
  std::vector<int32_t> stops;
  for (const auto& v : {eos_, eot_, eom_})
    if (v && *v >= 0 && *v < n) stops.push_back(*v);
  if (id_of("<｜hy_User｜>") && id_of("<｜hy_Assistant｜>") && id_of("<｜hy_begin▁of▁sentence｜>")) {
    family_ = ChatFamily::kHyDense;
    for (const char* s : {"<｜hy_place▁holder▁no▁2｜>", "<｜hy_end▁of▁sentence｜>", "<｜hy_EOT｜>"})
      if (auto id = id_of(s)) stops.push_back(*id);
  } else if (id_of("<|startoftext|>") && id_of("<|extra_0|>") && id_of("<|eos|>")) {
    family_ = ChatFamily::kHy7B;
    stops.push_back(*id_of("<|eos|>"));
  }
  std::sort(stops.begin(), stops.end());
  stops.erase(std::unique(stops.begin(), stops.end()), stops.end());
  stop_ids_ = std::move(stops);
  return Status();
}

const Tokenizer::Merge* Tokenizer::find_merge(int32_t left, int32_t right) const {
  const uint64_t key = pair_key(left, right);
  const size_t mask = merge_table_.size() - 1;
  for (size_t h = (key * 0x9E3779B97F4A7C15ull) >> merge_shift_;; h = (h + 1) & mask) {
    const MergeSlot& s = merge_table_[h];
    if (s.key == key) return &s.m;
    if (s.key == ~uint64_t{0}) return nullptr;
  }
}

bool Tokenizer::is_stop(int32_t id) const { return std::binary_search(stop_ids_.begin(), stop_ids_.end(), id); }

const std::string& Tokenizer::token_text(int32_t id) const {
  static const std::string kEmpty;
  return id >= 0 && id < n_vocab() ? tokens_[static_cast<size_t>(id)] : kEmpty;
}

TokenType Tokenizer::token_type(int32_t id) const {
  return id >= 0 && id < n_vocab() ? types_[static_cast<size_t>(id)] : TokenType::kUnused;
}

std::optional<int32_t> Tokenizer::token_id(std::string_view text) const {
  std::string key(text);
  if (auto it = added_index_.find(key); it != added_index_.end()) return added_[it->second].id;
  if (auto it = token_index_.find(key); it != token_index_.end()) return it->second;
  return std::nullopt;
}

std::string Tokenizer::token_bytes(int32_t id) const {
  return id >= 0 && id < n_vocab() ? bytes_[static_cast<size_t>(id)] : std::string();
}

void Tokenizer::bpe(std::string_view word, std::vector<int32_t>* out) const {
  if (ignore_merges_) {
    std::string text;
    for (char ch : word) text += byte_token(static_cast<uint8_t>(ch));
    if (auto it = token_index_.find(text); it != token_index_.end()) {
      out->push_back(it->second);
      return;
    }
  }
  // Symbols as a doubly linked list over the word's bytes; a byte with no token is dropped (Hugging
  // Face's BPE with no unk token does the same; a byte-level vocabulary has all 256). Scratch
  // buffers are per thread so that encoding allocates nothing per word.
  struct Cand {
    int32_t rank, pos, left_id, right_id;
    bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  struct Scratch {
    std::vector<int32_t> id, next, prev;
    std::vector<Cand> heap;
  };
  thread_local Scratch sc;
  auto& id = sc.id;
  id.clear();
  for (char ch : word) {
    const int32_t t = byte_id_[static_cast<uint8_t>(ch)];
    if (t >= 0) id.push_back(t);
  }
  const auto m = static_cast<int32_t>(id.size());
  if (m <= 1) {
    out->insert(out->end(), id.begin(), id.end());
    return;
  }
  auto& next = sc.next;
  auto& prev = sc.prev;
  next.resize(id.size());
  prev.resize(id.size());
  for (int32_t i = 0; i < m; ++i) {
    prev[static_cast<size_t>(i)] = i - 1;
    next[static_cast<size_t>(i)] = i + 1 < m ? i + 1 : -1;
  }
  auto& heap = sc.heap;
  heap.clear();
  const std::greater<Cand> cmp;
  auto push = [&](int32_t left) {
    if (left < 0) return;
    const int32_t right = next[static_cast<size_t>(left)];
    if (right < 0) return;
    const int32_t a = id[static_cast<size_t>(left)], b = id[static_cast<size_t>(right)];
    if (const Merge* mg = find_merge(a, b)) {
      heap.push_back({mg->rank, left, a, b});
      std::push_heap(heap.begin(), heap.end(), cmp);
    }
  };
  for (int32_t i = 0; i + 1 < m; ++i) push(i);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), cmp);
    const Cand c = heap.back();
    heap.pop_back();
    const auto l = static_cast<size_t>(c.pos);
    // Stale candidates: the left symbol was merged away (id changed, or it is now inside another
    // symbol: prev/next no longer reach it) or its right neighbour changed.
    if (id[l] != c.left_id || prev[l] == -2) continue;
    const int32_t r = next[l];
    if (r < 0 || id[static_cast<size_t>(r)] != c.right_id) continue;
    id[l] = find_merge(c.left_id, c.right_id)->result;
    next[l] = next[static_cast<size_t>(r)];
    if (next[l] >= 0) prev[static_cast<size_t>(next[l])] = c.pos;
    prev[static_cast<size_t>(r)] = -2;  // dead
    next[static_cast<size_t>(r)] = -2;
    push(prev[l]);
    push(c.pos);
  }
  for (int32_t i = 0; i >= 0; i = next[static_cast<size_t>(i)]) out->push_back(id[static_cast<size_t>(i)]);
}

void Tokenizer::bpe_cached(std::string_view word, std::vector<int32_t>* out) const {
  if (word.size() <= 1 || word.size() > 64) {  // trivial, or long and unlikely to repeat
    bpe(word, out);
    return;
  }
  const size_t h = std::hash<std::string_view>()(word);
  CacheShard& shard = cache_[h % kCacheShards];
  thread_local std::string key;
  key.assign(word);
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    if (auto it = shard.map.find(key); it != shard.map.end()) {
      out->insert(out->end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const size_t start = out->size();
  bpe(word, out);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.map.size() < kCacheShardEntries)
    shard.map.emplace(key, std::vector<int32_t>(out->begin() + static_cast<std::ptrdiff_t>(start), out->end()));
}

void Tokenizer::encode_plain(std::string_view text, std::vector<int32_t>* out) const {
  thread_local std::vector<std::pair<uint32_t, uint32_t>> pieces;
  pieces.clear();
  pre_tokenize(pre_, text, &pieces);
  for (const auto& [b, e] : pieces) bpe_cached(text.substr(b, e - b), out);
}

bool Tokenizer::find_added(std::string_view text, size_t pos, bool normalized, bool parse_special, size_t* at,
                           size_t* len, int32_t* id) const {
  for (size_t i = pos; i < text.size(); ++i) {
    const auto& lens = added_lengths_[static_cast<uint8_t>(text[i])];
    for (size_t l : lens) {  // longest first: the first hit is the leftmost-longest match
      if (i + l > text.size()) continue;
      auto it = added_index_.find(std::string(text.substr(i, l)));
      if (it == added_index_.end()) continue;
      const AddedEntry& e = added_[it->second];
      if (e.normalized != normalized || (e.special && !parse_special)) continue;
      *at = i;
      *len = l;
      *id = e.id;
      return true;
    }
  }
  return false;
}

// Hugging Face matches added tokens in two passes: those with normalized=false on the raw text
// (phase 0), then those with normalized=true in what is left (phase 1); the rest is pre-tokenized.
void Tokenizer::encode_phase(std::string_view text, int phase, bool parse_special, std::vector<int32_t>* out) const {
  size_t pos = 0, at = 0, len = 0;
  int32_t id = 0;
  while (pos < text.size() && find_added(text, pos, phase == 1, parse_special, &at, &len, &id)) {
    if (at > pos) {
      if (phase == 0) encode_phase(text.substr(pos, at - pos), 1, parse_special, out);
      else encode_plain(text.substr(pos, at - pos), out);
    }
    out->push_back(id);
    pos = at + len;
  }
  if (pos < text.size()) {
    if (phase == 0) encode_phase(text.substr(pos), 1, parse_special, out);
    else encode_plain(text.substr(pos), out);
  }
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool parse_special) const {
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 4);
  if (utf8_valid(text)) {
    encode_phase(text, 0, parse_special, &out);
  } else {
    const std::string clean = utf8_sanitize(text);
    encode_phase(clean, 0, parse_special, &out);
  }
  return out;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skip_special) const {
  std::string bytes;
  for (int32_t id : ids) {
    if (id < 0 || id >= n_vocab()) continue;
    if (skip_special && types_[static_cast<size_t>(id)] == TokenType::kControl) continue;
    bytes += bytes_[static_cast<size_t>(id)];
  }
  return utf8_sanitize(bytes);
}

std::string StreamingDecoder::push(int32_t id) {
  if (id < 0 || id >= tok_.n_vocab()) return std::string();
  if (skip_special_ && tok_.token_type(id) == TokenType::kControl) return std::string();
  return stream_.push(tok_.token_bytes(id));
}

}  // namespace hymt
