// tokenizer.h: the HY tokenizers (spec §3): byte-level BPE with the `hunyuan-dense` (1.8B) or
// `hunyuan` (7B) pre-tokenizer, added tokens, decoding, the chat templates and stop tokens. Built
// from a GGUF file's tokenizer.ggml.* keys or from a Hugging Face tokenizer.json; both give the same
// ids for the same vocabulary. A Tokenizer is immutable after construction and safe to share
// between threads. See docs/tokenizer.md.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "io/gguf.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/utf8.h"

namespace hymt {

// GGUF token types (tokenizer.ggml.token_type).
enum class TokenType : int32_t {
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,      // special added tokens: only the chat template emits them
  kUserDefined = 4,  // non-special added tokens: matched in any text (<think>, /no_think, ...)
  kUnused = 5,
  kByte = 6,
};

// Which chat template family the vocabulary belongs to (decided by its control tokens).
enum class ChatFamily {
  kNone,     // neither family's turn tokens exist: render_chat fails
  kHyDense,  // 1.8B: <｜hy_begin▁of▁sentence｜>, <｜hy_User｜>, <｜hy_Assistant｜>, ...
  kHy7B,     // 7B: <|startoftext|>, <|extra_0|>, <|extra_4|>, <|eos|>
};

struct ChatMessage {
  std::string role;  // "system", "user" or "assistant"
  std::string content;
};

struct ChatOptions {
  // True: end with the generation prompt (1.8B: <｜hy_Assistant｜>); false: with the terminator
  // (1.8B: <｜hy_place▁holder▁no▁8｜>). The 7B template ends the same way either way.
  bool add_generation_prompt = true;
};

class Tokenizer {
 public:
  // From tokenizer.ggml.{model,pre,tokens,token_type,merges,*_token_id}. model must be "gpt2".
  static Result<std::unique_ptr<Tokenizer>> from_gguf(const GgufFile& f);
  // From a Hugging Face tokenizer.json (BPE model, byte-level, a recognised pre-tokenizer) and,
  // when `tokenizer_config_path` is not empty, the added tokens and eos_token of tokenizer_config.json.
  static Result<std::unique_ptr<Tokenizer>> from_hf_json(const std::string& path,
                                                         const std::string& tokenizer_config_path = "");

  // Encodes text with no BOS/EOS added. User-defined added tokens are always matched; control
  // tokens only when `parse_special` (Hugging Face's behaviour), so user text that contains
  // "<｜hy_User｜>" cannot inject a turn marker by default. Ill-formed UTF-8 is read as U+FFFD per
  // maximal ill-formed subpart (what a reference that takes text would receive).
  std::vector<int32_t> encode(std::string_view text, bool parse_special = false) const;

  // Decodes ids to text: the bytes of every token (control tokens skipped when `skip_special`),
  // then UTF-8 with each ill-formed subpart replaced by U+FFFD (Hugging Face's ByteLevel decoder).
  // Ids outside the vocabulary are skipped.
  std::string decode(const std::vector<int32_t>& ids, bool skip_special = true) const;
  // The raw bytes a token stands for (a byte-level token maps back to bytes; an added token whose
  // text has characters outside the byte map is its own UTF-8 text). Empty for unknown ids.
  std::string token_bytes(int32_t id) const;

  // The chat template of this vocabulary's family (spec §3.5), rendered as text.
  Result<std::string> render_chat(const std::vector<ChatMessage>& messages, const ChatOptions& opt = {}) const;
  // The same prompt as ids: template tokens as control ids, message contents through encode()
  // with parse_special = false.
  Result<std::vector<int32_t>> encode_chat(const std::vector<ChatMessage>& messages,
                                           const ChatOptions& opt = {}) const;
  ChatFamily chat_family() const { return family_; }

  // Ids that end generation (spec §3.6), sorted.
  const std::vector<int32_t>& stop_ids() const { return stop_ids_; }
  bool is_stop(int32_t id) const;

  int32_t n_vocab() const { return static_cast<int32_t>(tokens_.size()); }
  // The vocabulary string of a token ("Ġworld"), empty for ids out of range.
  const std::string& token_text(int32_t id) const;
  TokenType token_type(int32_t id) const;
  // Id of a vocabulary string (ordinary or added), if any.
  std::optional<int32_t> token_id(std::string_view text) const;
  PreTokenizerKind pre_tokenizer() const { return pre_; }
  size_t n_merges() const { return n_merges_; }
  std::optional<int32_t> bos_id() const { return bos_; }
  std::optional<int32_t> eos_id() const { return eos_; }

  // Exposed for tests: BPE of one pre-token (bytes), appended to `out`.
  void bpe(std::string_view word, std::vector<int32_t>* out) const;

 private:
  Tokenizer() = default;
  struct AddedEntry {
    std::string text;
    int32_t id;
    bool special;     // control token: matched only with parse_special
    bool normalized;  // Hugging Face matches these in a second pass, on what the first left
  };
  struct Merge {
    int32_t rank;
    int32_t result;
  };
  // Shared second stage of both loaders: indexes, merges, added-token lookup, family, stop ids.
  Status finish(const std::vector<std::pair<std::string, std::string>>& merge_pairs);
  // Leftmost-longest search, from `pos`, among the added tokens of one matching phase (`normalized`
  // flag) that `parse_special` allows. Returns false when none occurs.
  bool find_added(std::string_view text, size_t pos, bool normalized, bool parse_special, size_t* at, size_t* len,
                  int32_t* id) const;
  void encode_phase(std::string_view text, int phase, bool parse_special, std::vector<int32_t>* out) const;
  void encode_plain(std::string_view text, std::vector<int32_t>* out) const;
  Status chat_segments(const std::vector<ChatMessage>& messages, const ChatOptions& opt,
                       std::vector<std::pair<bool, std::string>>* segs) const;

  std::vector<std::string> tokens_;
  std::vector<TokenType> types_;
  std::unordered_map<std::string, int32_t> token_index_;  // every vocabulary string (first id wins)
  // Merge table: open addressing over (left id << 32 | right id), linear probing; a flat array
  // because the lookup is the hot spot of encoding (a node-based map was 3x slower overall).
  struct MergeSlot {
    uint64_t key = ~uint64_t{0};  // empty
    Merge m{0, 0};
  };
  std::vector<MergeSlot> merge_table_;
  int merge_shift_ = 64;
  size_t n_merges_ = 0;
  const Merge* find_merge(int32_t left, int32_t right) const;
  std::vector<AddedEntry> added_;                           // control + user-defined, as loaded
  std::unordered_map<std::string, size_t> added_index_;     // text -> index in added_
  std::vector<size_t> added_lengths_[256];                  // distinct lengths by first byte, longest first
  int32_t byte_id_[256] = {};                               // token of each single byte, or -1
  std::vector<std::string> bytes_;                          // token_bytes() of every id
  bool ignore_merges_ = false;
  PreTokenizerKind pre_ = PreTokenizerKind::kHunyuanDense;
  ChatFamily family_ = ChatFamily::kNone;
  std::optional<int32_t> bos_, eos_, eot_, eom_;
  std::vector<int32_t> stop_ids_;

  // Cache of BPE results by pre-token (natural text repeats its words), sharded so that threads
  // encoding at once rarely wait on each other. Bounded: once a shard is full it stops growing.
  static constexpr size_t kCacheShards = 16;
  static constexpr size_t kCacheShardEntries = 8192;
  struct CacheShard {
    std::mutex mu;
    std::unordered_map<std::string, std::vector<int32_t>> map;
  };
  mutable CacheShard cache_[kCacheShards];
  void bpe_cached(std::string_view word, std::vector<int32_t>* out) const;
};

// Incremental detokenizer for a generation loop: push() returns only whole characters (never
// half of a multi-byte character split across tokens), finish() flushes what is left. The pieces
// concatenate to exactly Tokenizer::decode of all ids pushed.
class StreamingDecoder {
 public:
  explicit StreamingDecoder(const Tokenizer& tok, bool skip_special = true) : tok_(tok), skip_special_(skip_special) {}
  std::string push(int32_t id);
  std::string finish() { return stream_.finish(); }

 private:
  const Tokenizer& tok_;
  bool skip_special_;
  Utf8Stream stream_;
};

}  // namespace hymt
