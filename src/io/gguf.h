// gguf.h: GGUF v2/v3 container, reader and writer (spec §4).
// The reader maps the file and validates everything before anything else trusts it: header,
// every key/value, every tensor record, the data section and each tensor's byte extent. It never
// reads out of bounds and never aborts; each failure names what is wrong and where. Type ids that
// producers use for different formats (40..43) are resolved from each tensor's byte extent and
// general.file_type (spec §4.3), so `GgufTensor::type` is always a meaningful WeightType.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mapped_file.h"
#include "core/status.h"
#include "formats/ggml_type.h"

namespace hymt {

enum class GgufType : uint32_t {
  kU8 = 0,
  kI8 = 1,
  kU16 = 2,
  kI16 = 3,
  kU32 = 4,
  kI32 = 5,
  kF32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kU64 = 10,
  kI64 = 11,
  kF64 = 12,
};
const char* gguf_type_name(GgufType t);

// One metadata value. Scalars live in `i`/`u`/`f`/`b` (whichever matches `type`), strings in `s`,
// arrays in `arr` with `elem_type`.
struct GgufValue {
  GgufType type = GgufType::kU8;
  GgufType elem_type = GgufType::kU8;  // arrays only
  uint64_t u = 0;                      // unsigned ints and bool
  int64_t i = 0;                       // signed ints
  double f = 0;                        // f32 / f64
  std::string s;
  std::vector<GgufValue> arr;

  static GgufValue make_u32(uint32_t v);
  static GgufValue make_i32(int32_t v);
  static GgufValue make_u64(uint64_t v);
  static GgufValue make_f32(float v);
  static GgufValue make_bool(bool v);
  static GgufValue make_string(std::string v);
  static GgufValue make_array(GgufType elem, std::vector<GgufValue> items);

  bool is_integer() const;
  // Integer value if this is an integer type whose value fits; nullopt otherwise.
  std::optional<int64_t> as_int() const;
  // Float value of f32/f64 (and of integers, exactly converted).
  std::optional<double> as_number() const;
  // Short human-readable form ("[120818 strings]" for big arrays).
  std::string summary() const;
};

struct GgufTensor {
  std::string name;
  std::vector<int64_t> ne;  // ne[0] fastest
  uint32_t type_id = 0;     // as stored in the file
  WeightType type = WeightType::kF32;
  uint64_t offset = 0;      // relative to the data section
  size_t n_bytes = 0;
  const uint8_t* data = nullptr;  // into the mapping

  int64_t n_elements() const;
  int64_t ne0() const { return ne.empty() ? 1 : ne[0]; }
  int64_t n_rows() const;  // product of ne[1..]
  std::string shape_string() const;  // "2048x512"
};

// How the STQ1_0 lane layout of a file was decided (docs/formats.md, "STQ1_0 lane layout
// selection"). The reader settles override and metadata; a file with neither is kDefault (read as
// stride-16) until the model loader's self-check (model/stq_layout_check.h) replaces the decision.
enum class StqLayoutSource {
  kNone,       // the file has no STQ1_0 tensor
  kOverride,   // HYMT_STQ_LAYOUT in the environment
  kMetadata,   // general.finetune names the layout
  kSelfCheck,  // the loader's forward-pass check, with a clear margin
  kDefault,    // nothing decided it (yet): stride-16, the current release layout
};
const char* stq_layout_source_name(StqLayoutSource s);  // "override", "metadata", ...

struct StqLayoutDecision {
  WeightType layout = WeightType::kSTQ1_0;  // kSTQ1_0 (stride-16) or kSTQ1_0_CONSEC
  StqLayoutSource source = StqLayoutSource::kNone;
  std::string detail;  // the evidence, in words ("general.finetune '2bit-stride16'", margins)
  // Self-check only (else negative): mean next-token NLL, nats per token, of the check's reference
  // translation read with each layout.
  double nll_stride16 = -1, nll_consecutive = -1;
};

struct GgufReadOptions {
  // How many array elements (summed over all metadata arrays) a file may hold before its counts are
  // called absurd even if the file is big enough. Each parsed element costs ~90 bytes of memory; real
  // files hold well under 2^21 (tokens + types + merges of a 256k vocabulary).
  uint64_t max_array_elements = 1ull << 24;
};

class GgufFile {
 public:
  // Maps and validates a file.
  static Result<std::unique_ptr<GgufFile>> open(const std::string& path, const GgufReadOptions& opt = {});

  uint32_t version() const { return version_; }
  size_t alignment() const { return alignment_; }
  size_t data_offset() const { return data_offset_; }
  size_t file_size() const { return map_.size(); }
  const std::string& path() const { return map_.path(); }

  const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return kv_; }
  const GgufValue* find(const std::string& key) const;
  const std::vector<GgufTensor>& tensors() const { return tensors_; }
  const GgufTensor* find_tensor(const std::string& name) const;

  const StqLayoutDecision& stq_layout() const { return stq_layout_; }
  // Reads every STQ1_0 tensor with `layout` (kSTQ1_0 or kSTQ1_0_CONSEC) from now on and records
  // why. No-op on a file without STQ1_0 tensors. The bytes and sizes are the same in both layouts.
  void set_stq_layout(const StqLayoutDecision& d);

 private:
  GgufFile() = default;
  Status parse(const GgufReadOptions& opt);
  Status resolve_tensors();

  MappedFile map_;
  uint32_t version_ = 0;
  size_t alignment_ = 32;
  size_t data_offset_ = 0;
  std::vector<std::pair<std::string, GgufValue>> kv_;
  std::map<std::string, size_t> kv_index_;
  std::vector<GgufTensor> tensors_;
  std::map<std::string, size_t> tensor_index_;
  StqLayoutDecision stq_layout_;
};

// Writes a GGUF v3 file atomically (temporary file + rename: never a partial file at `path`).
class GgufWriter {
 public:
  explicit GgufWriter(uint32_t alignment = 32) : alignment_(alignment) {}

  void set(const std::string& key, GgufValue v);
  void set_u32(const std::string& key, uint32_t v) { set(key, GgufValue::make_u32(v)); }
  void set_i32(const std::string& key, int32_t v) { set(key, GgufValue::make_i32(v)); }
  void set_f32(const std::string& key, float v) { set(key, GgufValue::make_f32(v)); }
  void set_bool(const std::string& key, bool v) { set(key, GgufValue::make_bool(v)); }
  void set_string(const std::string& key, std::string v) { set(key, GgufValue::make_string(std::move(v))); }
  void set_string_array(const std::string& key, const std::vector<std::string>& v);
  void set_i32_array(const std::string& key, const std::vector<int32_t>& v);
  void set_f32_array(const std::string& key, const std::vector<float>& v);

  // Adds a tensor whose bytes are produced by `fill(dst)` at write time (dst has n_bytes bytes),
  // so a multi-gigabyte model never needs to be held in memory at once.
  using FillFn = std::function<Status(uint8_t* dst, size_t n_bytes)>;
  Status add_tensor(const std::string& name, std::vector<int64_t> ne, WeightType type, FillFn fill);
  // Convenience: copies bytes from memory (must be exactly the tensor's size).
  Status add_tensor_bytes(const std::string& name, std::vector<int64_t> ne, WeightType type,
                          std::vector<uint8_t> bytes);

  // Optional progress callback: (tensors written, total).
  void on_progress(std::function<void(size_t, size_t)> cb) { progress_ = std::move(cb); }

  Status write(const std::string& path) const;

 private:
  struct Pending {
    std::string name;
    std::vector<int64_t> ne;
    WeightType type;
    size_t n_bytes;
    FillFn fill;
  };
  uint32_t alignment_;
  std::vector<std::pair<std::string, GgufValue>> kv_;
  std::vector<Pending> tensors_;
  std::function<void(size_t, size_t)> progress_;
};

}  // namespace hymt
