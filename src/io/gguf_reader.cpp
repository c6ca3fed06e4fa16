// gguf_reader.cpp: strict GGUF v2/v3 parsing over a memory mapping.
// Every read goes through Cursor, which checks the remaining length first, so a hostile file can
// at worst produce an error. Counts are checked against the bytes left before anything is
// allocated ("absurd counts"), and all arrays share one element budget, which bounds memory use.
#include <algorithm>
#include <cinttypes>
#include <cstdlib>
#include <cstring>

#include "io/gguf.h"

namespace hymt {

namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" little-endian
constexpr size_t kMaxKeyLen = 65535;
constexpr size_t kMaxTensorName = 64;
constexpr int kMaxDims = 4;
constexpr int kMaxArrayDepth = 4;

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

class Cursor {
 public:
  Cursor(const uint8_t* p, size_t n) : base_(p), n_(n) {}
  size_t pos() const { return pos_; }
  size_t left() const { return n_ - pos_; }

  Status need(size_t k, const char* what) const {
    if (k > left())
      return corrupt_file("truncated file: " + std::string(what) + " at offset " + std::to_string(pos_) +
                          " needs " + std::to_string(k) + " bytes, only " + std::to_string(left()) +
                          " left");
    return {};
  }
  template <class T>
  Status read(T* out, const char* what) {
    HYMT_RETURN_IF_ERROR(need(sizeof(T), what));
    std::memcpy(out, base_ + pos_, sizeof(T));  // little-endian hosts only (checked at build)
    pos_ += sizeof(T);
    return {};
  }
  Status read_string(std::string* out, size_t max_len, const char* what) {
    uint64_t len;
    size_t at = pos_;
    HYMT_RETURN_IF_ERROR(read(&len, what));
    if (len > left())
      return corrupt_file(std::string(what) + " at offset " + std::to_string(at) + " claims " +
                          std::to_string(len) + " bytes, past the end of the file (" +
                          std::to_string(left()) + " left)");
    if (len > max_len)
      return corrupt_file(std::string(what) + " at offset " + std::to_string(at) + " is " +
                          std::to_string(len) + " bytes long, more than the limit of " +
                          std::to_string(max_len));
    out->assign(reinterpret_cast<const char*>(base_ + pos_), len);
    pos_ += len;
    return {};
  }

 private:
  const uint8_t* base_;
  size_t n_;
  size_t pos_ = 0;
};

bool valid_type(uint32_t t) { return t <= 12; }

// Smallest encoding of one element of a type: bounds array counts before allocating.
size_t min_size(GgufType t) {
  switch (t) {
    case GgufType::kU8: case GgufType::kI8: case GgufType::kBool: return 1;
    case GgufType::kU16: case GgufType::kI16: return 2;
    case GgufType::kU32: case GgufType::kI32: case GgufType::kF32: return 4;
    case GgufType::kString: return 8;
    case GgufType::kArray: return 12;
    case GgufType::kU64: case GgufType::kI64: case GgufType::kF64: return 8;
  }
  return 1;
}

// ggml type ids that are real (or once were) but that hymt has no block geometry for. Naming them
// turns "unknown id 16" into something a user can act on (requantize the file).
const char* unsupported_ggml_type_name(uint32_t id) {
  switch (id) {
    case 4: return "Q4_2 (removed from ggml)";
    case 5: return "Q4_3 (removed from ggml)";
    case 16: return "IQ2_XXS";
    case 17: return "IQ2_XS";
    case 18: return "IQ3_XXS";
    case 19: return "IQ1_S";
    case 20: return "IQ4_NL";
    case 21: return "IQ3_S";
    case 22: return "IQ2_S";
    case 23: return "IQ4_XS";
    case 29: return "IQ1_M";
    case 31: return "Q4_0_4_4 (removed from ggml)";
    case 32: return "Q4_0_4_8 (removed from ggml)";
    case 33: return "Q4_0_8_8 (removed from ggml)";
    case 36: return "IQ4_NL_4_4 (removed from ggml)";
    case 37: return "IQ4_NL_4_8 (removed from ggml)";
    case 38: return "IQ4_NL_8_8 (removed from ggml)";
    default: return nullptr;
  }
}

// Reads one value of type `t`. Messages name the offset; the caller prefixes the key (and array
// element index) only on failure, so the success path builds no strings. `budget` is the number of
// array elements the file may still hold (GgufReadOptions::max_array_elements, summed over arrays).
Status read_value(Cursor& c, GgufType t, GgufValue* v, int depth, uint64_t* budget) {
  v->type = t;
  switch (t) {
    case GgufType::kU8: { uint8_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "u8 value")); v->u = x; return {}; }
    case GgufType::kI8: { int8_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "i8 value")); v->i = x; return {}; }
    case GgufType::kU16: { uint16_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "u16 value")); v->u = x; return {}; }
    case GgufType::kI16: { int16_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "i16 value")); v->i = x; return {}; }
    case GgufType::kU32: { uint32_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "u32 value")); v->u = x; return {}; }
    case GgufType::kI32: { int32_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "i32 value")); v->i = x; return {}; }
    case GgufType::kU64: { uint64_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "u64 value")); v->u = x; return {}; }
    case GgufType::kI64: { int64_t x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "i64 value")); v->i = x; return {}; }
    case GgufType::kF32: { float x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "f32 value")); v->f = x; return {}; }
    case GgufType::kF64: { double x = 0; HYMT_RETURN_IF_ERROR(c.read(&x, "f64 value")); v->f = x; return {}; }
    case GgufType::kBool: {
      uint8_t x;
      const size_t at = c.pos();
      HYMT_RETURN_IF_ERROR(c.read(&x, "bool value"));
      if (x > 1)
        return corrupt_file("bool value " + std::to_string(x) + " at offset " + std::to_string(at) +
                            " is neither 0 nor 1");
      v->u = x;
      return {};
    }
    case GgufType::kString:
      return c.read_string(&v->s, SIZE_MAX, "string value");
    case GgufType::kArray: {
      const size_t at = c.pos();
      if (depth >= kMaxArrayDepth)
        return corrupt_file("array at offset " + std::to_string(at) + " is nested deeper than " +
                            std::to_string(kMaxArrayDepth) + " levels");
      uint32_t et;
      uint64_t n;
      HYMT_RETURN_IF_ERROR(c.read(&et, "array element type"));
      if (!valid_type(et))
        return corrupt_file("unknown array element type " + std::to_string(et) + " at offset " + std::to_string(at));
      HYMT_RETURN_IF_ERROR(c.read(&n, "array length"));
      v->elem_type = static_cast<GgufType>(et);
      // Checked before allocating: the elements must fit in the bytes left, and all arrays together
      // stay within the budget, so memory use is bounded whatever the counts claim.
      if (n > c.left() / min_size(v->elem_type))
        return corrupt_file("array at offset " + std::to_string(at) + " claims " + std::to_string(n) + " " +
                            gguf_type_name(v->elem_type) + " elements, which cannot fit in the " +
                            std::to_string(c.left()) + " bytes left in the file");
      if (n > *budget)
        return corrupt_file("array at offset " + std::to_string(at) + " claims " + std::to_string(n) +
                            " elements, more than the " + std::to_string(*budget) +
                            " array elements a GGUF file may still hold (GgufReadOptions::max_array_elements)");
      *budget -= n;
      v->arr.resize(n);
      for (uint64_t k = 0; k < n; ++k) {
        Status st = read_value(c, v->elem_type, &v->arr[k], depth + 1, budget);
        if (!st.ok()) return st.with_context("element " + std::to_string(k));
      }
      return {};
    }
  }
  return internal_error("unreachable value type");
}

// One tensor record. Messages leave out the record's number and name, which the caller adds.
Status read_tensor_info(Cursor& c, size_t alignment, GgufTensor* t) {
  HYMT_RETURN_IF_ERROR(c.read_string(&t->name, SIZE_MAX, "tensor name"));
  if (t->name.empty()) return corrupt_file("empty tensor name");
  if (t->name.size() > kMaxTensorName) {
    const size_t len = t->name.size();
    const std::string shown = t->name.substr(0, 80) + (len > 80 ? "..." : "");
    t->name.clear();  // keeps the caller from repeating an overlong name in its context
    return corrupt_file("tensor name '" + shown + "' is " + std::to_string(len) +
                        " bytes, longer than the GGUF limit of 64");
  }
  uint32_t n_dims;
  HYMT_RETURN_IF_ERROR(c.read(&n_dims, "tensor dimension count"));
  if (n_dims == 0 || n_dims > kMaxDims)
    return corrupt_file(std::to_string(n_dims) + " dimensions (must be 1 to 4)");
  // The element count is kept below 2^60 so that byte counts (at most 8 bytes per element in any
  // type) can never overflow 64 bits.
  uint64_t prod = 1;
  for (uint32_t d = 0; d < n_dims; ++d) {
    uint64_t ne;
    HYMT_RETURN_IF_ERROR(c.read(&ne, "tensor dimension"));
    if (ne == 0 || ne > (1ull << 40))
      return corrupt_file("dimension " + std::to_string(d) + " is " + std::to_string(ne) +
                          " (must be between 1 and 2^40)");
    if (prod > (1ull << 60) / ne)
      return corrupt_file("element count overflows: shape product exceeds 2^60 at dimension " + std::to_string(d));
    prod *= ne;
    t->ne.push_back(static_cast<int64_t>(ne));
  }
  HYMT_RETURN_IF_ERROR(c.read(&t->type_id, "tensor type"));
  HYMT_RETURN_IF_ERROR(c.read(&t->offset, "tensor offset"));
  if (candidates_for_gguf_id(t->type_id).empty()) {
    if (const char* known = unsupported_ggml_type_name(t->type_id))
      return unsupported(std::string("ggml type ") + known + " (id " + std::to_string(t->type_id) +
                         ") is not supported by hymt");
    return corrupt_file("unknown ggml type id " + std::to_string(t->type_id));
  }
  if (t->offset % alignment != 0)
    return corrupt_file("data offset " + std::to_string(t->offset) + " is not a multiple of the alignment " +
                        std::to_string(alignment));
  return {};
}

}  // namespace

const GgufValue* GgufFile::find(const std::string& key) const {
  auto it = kv_index_.find(key);
  return it == kv_index_.end() ? nullptr : &kv_[it->second].second;
}

const GgufTensor* GgufFile::find_tensor(const std::string& name) const {
  auto it = tensor_index_.find(name);
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

Result<std::unique_ptr<GgufFile>> GgufFile::open(const std::string& path, const GgufReadOptions& opt) {
  auto m = MappedFile::open(path);
  if (!m.ok()) {
    // A path that exists but is no regular file (a folder, a device) is a bad model path, reported
    // like a missing file rather than as a command-line usage error.
    if (m.status().code() == StatusCode::kInvalidArgument)
      return not_found(m.status().message() + " (expected a GGUF model file)");
    return m.status();
  }
  std::unique_ptr<GgufFile> f(new GgufFile());
  f->map_ = std::move(m).value();
  Status st = f->parse(opt);
  if (!st.ok()) return st.with_context(path);
  return f;
}

Status GgufFile::parse(const GgufReadOptions& opt) {
  Cursor c(map_.data(), map_.size());
  if (map_.size() == 0) return corrupt_file("empty file (0 bytes), not a GGUF model");
  if (map_.size() < 4)
    return corrupt_file("not a GGUF file: " + std::to_string(map_.size()) + " bytes, too short for a header");
  uint32_t magic;
  HYMT_RETURN_IF_ERROR(c.read(&magic, "magic"));
  if (magic != kMagic)
    return corrupt_file("not a GGUF file: bad magic " + hex(magic) + " (expected the bytes 'GGUF')");
  HYMT_RETURN_IF_ERROR(c.read(&version_, "version"));
  if (version_ == 1) return unsupported("GGUF version 1 is not supported (only versions 2 and 3)");
  // A byte-swapped 2 or 3 is a big-endian file (made for s390x): every number in it reads wrong here.
  if (version_ == 0x02000000u || version_ == 0x03000000u)
    return unsupported("big-endian GGUF file (version field " + hex(version_) +
                       "); only little-endian files are supported");
  if (version_ > 3 && version_ < 256)
    return unsupported("GGUF version " + std::to_string(version_) + " is newer than this reader (supported: 2, 3)");
  if (version_ != 2 && version_ != 3)
    return corrupt_file("invalid GGUF version " + std::to_string(version_) + " (supported: 2, 3)");
  uint64_t n_tensors, n_kv;
  HYMT_RETURN_IF_ERROR(c.read(&n_tensors, "tensor count"));
  HYMT_RETURN_IF_ERROR(c.read(&n_kv, "metadata count"));
  // Each key/value needs at least 8 (key length) + 4 (type) + 1 bytes; each tensor record at least
  // 8 + 1 + 4 + 8 + 4 + 8 bytes. Larger counts cannot be real.
  if (n_kv > c.left() / 13)
    return corrupt_file("absurd metadata count " + std::to_string(n_kv) + " for a file of " +
                        std::to_string(map_.size()) + " bytes (truncated file or corrupt header)");
  if (n_tensors > c.left() / 33)
    return corrupt_file("absurd tensor count " + std::to_string(n_tensors) + " for a file of " +
                        std::to_string(map_.size()) + " bytes (truncated file or corrupt header)");

  // Counts are only plausible so far: reserve a little, let real entries grow the vectors.
  kv_.reserve(static_cast<size_t>(std::min<uint64_t>(n_kv, 1024)));
  uint64_t budget = opt.max_array_elements;
  for (uint64_t k = 0; k < n_kv; ++k) {
    std::string key;
    const size_t at = c.pos();
    Status st = c.read_string(&key, kMaxKeyLen, "metadata key");
    if (!st.ok()) return st.with_context("metadata entry " + std::to_string(k));
    if (key.empty())
      return corrupt_file("metadata key " + std::to_string(k) + " at offset " + std::to_string(at) + " is empty");
    if (kv_index_.count(key))
      return corrupt_file("duplicate metadata key '" + key + "' (entry " + std::to_string(k) + " at offset " +
                          std::to_string(at) + ")");
    uint32_t t;
    const size_t tat = c.pos();
    st = c.read(&t, "value type");
    if (!st.ok()) return st.with_context("key '" + key + "'");
    if (!valid_type(t))
      return corrupt_file("key '" + key + "': unknown value type " + std::to_string(t) + " at offset " +
                          std::to_string(tat));
    GgufValue v;
    st = read_value(c, static_cast<GgufType>(t), &v, 0, &budget);
    if (!st.ok()) return st.with_context("key '" + key + "'");
    kv_index_[key] = kv_.size();
    kv_.emplace_back(std::move(key), std::move(v));
  }

  if (const GgufValue* a = find("general.alignment")) {
    auto av = a->as_int();
    if (!a->is_integer() || !av)
      return corrupt_file(std::string("general.alignment has type ") + gguf_type_name(a->type) +
                          ", expected an unsigned integer (u32)");
    if (*av <= 0 || (*av & (*av - 1)) != 0 || *av > (1 << 30))
      return corrupt_file("general.alignment " + std::to_string(*av) + " is not a power of two between 1 and 2^30");
    alignment_ = static_cast<size_t>(*av);
  }

  tensors_.reserve(static_cast<size_t>(std::min<uint64_t>(n_tensors, 4096)));
  for (uint64_t k = 0; k < n_tensors; ++k) {
    GgufTensor t;
    const size_t at = c.pos();
    Status st = read_tensor_info(c, alignment_, &t);
    if (!st.ok())
      return st.with_context("tensor record " + std::to_string(k) + (t.name.empty() ? "" : " '" + t.name + "'") +
                             " at offset " + std::to_string(at));
    if (tensor_index_.count(t.name))
      return corrupt_file("duplicate tensor name '" + t.name + "' (record " + std::to_string(k) + " at offset " +
                          std::to_string(at) + ")");
    tensor_index_[t.name] = tensors_.size();
    tensors_.push_back(std::move(t));
  }

  const size_t end_of_info = c.pos();
  data_offset_ = (end_of_info + alignment_ - 1) / alignment_ * alignment_;
  if (!tensors_.empty() && data_offset_ > map_.size())
    return corrupt_file("truncated file: tensor data would start at offset " + std::to_string(data_offset_) +
                        " but the file has " + std::to_string(map_.size()) + " bytes");
  return resolve_tensors();
}

// STQ1_0 lane layout of a file (docs/formats.md): HYMT_STQ_LAYOUT=stride16|consecutive overrides
// everything; otherwise general.finetune containing "stride16" ("2bit-stride16" in the Hy-MT2
// release) or "consecutive" (hymt's marker for the older layout) decides. With neither the answer
// is stride-16 from kDefault: the model loader then runs its self-check and may replace it.
static Result<StqLayoutDecision> stq_layout_for_file(const GgufValue* finetune) {
  StqLayoutDecision d;
  if (const char* env = std::getenv("HYMT_STQ_LAYOUT"); env && *env) {
    const std::string v = env;
    d.source = StqLayoutSource::kOverride;
    d.detail = "HYMT_STQ_LAYOUT=" + v;
    if (v == "stride16") return d;
    if (v == "consecutive") {
      d.layout = WeightType::kSTQ1_0_CONSEC;
      return d;
    }
    return invalid_argument("HYMT_STQ_LAYOUT='" + v + "' is not one of: stride16, consecutive");
  }
  if (finetune && finetune->type == GgufType::kString) {
    d.source = StqLayoutSource::kMetadata;
    d.detail = "general.finetune '" + finetune->s + "'";
    if (finetune->s.find("stride16") != std::string::npos) return d;
    if (finetune->s.find("consecutive") != std::string::npos) {
      d.layout = WeightType::kSTQ1_0_CONSEC;
      return d;
    }
  }
  d.source = StqLayoutSource::kDefault;
  d.detail = "no HYMT_STQ_LAYOUT and no layout in general.finetune";
  return d;
}

const char* stq_layout_source_name(StqLayoutSource s) {
  switch (s) {
    case StqLayoutSource::kNone: return "none";
    case StqLayoutSource::kOverride: return "override";
    case StqLayoutSource::kMetadata: return "metadata";
    case StqLayoutSource::kSelfCheck: return "self-check";
    case StqLayoutSource::kDefault: return "default";
  }
  return "?";
}

void GgufFile::set_stq_layout(const StqLayoutDecision& d) {
  if (stq_layout_.source == StqLayoutSource::kNone) return;
  for (GgufTensor& t : tensors_)
    if (t.type == WeightType::kSTQ1_0 || t.type == WeightType::kSTQ1_0_CONSEC) t.type = d.layout;
  stq_layout_ = d;
}

// Resolves each tensor's WeightType and checks that its bytes lie inside the data section, in
// their own extent (from its offset to the next tensor's, or to the end of the file).
Status GgufFile::resolve_tensors() {
  const uint64_t data_size = map_.size() > data_offset_ ? map_.size() - data_offset_ : 0;
  std::vector<size_t> order(tensors_.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return tensors_[a].offset < tensors_[b].offset; });

  int64_t file_type = -1;
  if (const GgufValue* ft = find("general.file_type"))
    if (auto v = ft->as_int()) file_type = *v;

  // The highest offset is checked before any extent is computed: each extent ends at the next
  // tensor's offset, which means nothing unless it lies inside the file.
  if (!order.empty() && tensors_[order.back()].offset > data_size) {
    const GgufTensor& t = tensors_[order.back()];
    return corrupt_file("truncated file or bad offset: tensor '" + t.name + "': data offset " +
                        std::to_string(t.offset) + " is past the end of the data section (" +
                        std::to_string(data_size) + " bytes)");
  }
  for (size_t k = 0; k < order.size(); ++k) {
    GgufTensor& t = tensors_[order[k]];
    const bool last = k + 1 == order.size();
    const uint64_t next = last ? data_size : tensors_[order[k + 1]].offset;
    const uint64_t extent = next - t.offset;

    std::vector<WeightType> cands = candidates_for_gguf_id(t.type_id);
    std::vector<WeightType> fits;
    std::string tried;
    for (WeightType w : cands) {
      auto rb = row_bytes(w, t.ne[0]);
      if (!rb) continue;
      const uint64_t bytes = static_cast<uint64_t>(*rb) * static_cast<uint64_t>(t.n_rows());
      tried += std::string(tried.empty() ? "" : ", ") + type_name(w) + " " + std::to_string(bytes);
      if (bytes <= extent && extent - bytes < alignment_) fits.push_back(w);
    }
    if (cands.size() == 1) {
      const WeightType w = cands[0];
      auto rb = row_bytes(w, t.ne[0]);
      if (!rb)
        return corrupt_file("tensor '" + t.name + "': row length " + std::to_string(t.ne[0]) +
                            " is not a multiple of the " + type_name(w) + " block size " +
                            std::to_string(type_info(w).block));
      t.type = w;
      t.n_bytes = *rb * static_cast<size_t>(t.n_rows());
      if (t.n_bytes > extent) {
        if (last)
          return corrupt_file("truncated file: tensor '" + t.name + "' (" + type_name(w) + " " + t.shape_string() +
                              ") needs " + std::to_string(t.n_bytes) + " bytes at data offset " +
                              std::to_string(t.offset) + " but only " + std::to_string(extent) + " remain");
        return corrupt_file("tensor '" + t.name + "' (" + type_name(w) + " " + t.shape_string() + ", " +
                            std::to_string(t.n_bytes) + " bytes at data offset " + std::to_string(t.offset) +
                            ") overlaps tensor '" + tensors_[order[k + 1]].name + "' at data offset " +
                            std::to_string(next));
      }
      if (extent - t.n_bytes >= alignment_)
        return corrupt_file("tensor '" + t.name + "': " + std::to_string(extent) + " bytes of data, but shape " +
                            t.shape_string() + " of " + type_name(w) + " is " + std::to_string(t.n_bytes) +
                            " bytes");
    } else {
      if (fits.size() > 1) {
        // Two formats fit the extent: general.file_type decides (41 = legacy STQ1_0 files, 39 = Q2_0C).
        WeightType hinted = WeightType::kCount;
        if (file_type == 41) hinted = WeightType::kSTQ1_0;
        if (file_type == 39) hinted = WeightType::kQ2_0C;
        if (std::find(fits.begin(), fits.end(), hinted) != fits.end()) fits = {hinted};
      }
      if (fits.empty())
        return corrupt_file("tensor '" + t.name + "': type id " + std::to_string(t.type_id) + " with shape " +
                            t.shape_string() + " and a data extent of " + std::to_string(extent) +
                            " bytes matches none of the formats stored under that id (" +
                            (tried.empty() ? std::string("row length fits no block size") : tried) + ")");
      if (fits.size() > 1)
        return unsupported("tensor '" + t.name + "': type id " + std::to_string(t.type_id) +
                           " is ambiguous (" + type_name(fits[0]) + " or " + type_name(fits[1]) +
                           " both fit) and general.file_type does not decide it");
      t.type = fits[0];
      t.n_bytes = *row_bytes(t.type, t.ne[0]) * static_cast<size_t>(t.n_rows());
    }
    if (t.type == WeightType::kSTQ1_0) {
      // Both STQ1_0 lane layouts have the same bytes; one decision holds for the file (spec §5.10).
      if (stq_layout_.source == StqLayoutSource::kNone) {
        auto layout = stq_layout_for_file(find("general.finetune"));
        if (!layout.ok()) return layout.status();
        stq_layout_ = layout.value();
      }
      t.type = stq_layout_.layout;
    }
    t.data = map_.data() + data_offset_ + t.offset;
  }
  return {};
}

int64_t GgufTensor::n_elements() const {
  int64_t n = 1;
  for (int64_t d : ne) n *= d;
  return n;
}

int64_t GgufTensor::n_rows() const {
  int64_t n = 1;
  for (size_t d = 1; d < ne.size(); ++d) n *= ne[d];
  return n;
}

std::string GgufTensor::shape_string() const {
  std::string s;
  for (size_t d = 0; d < ne.size(); ++d) s += (d ? "x" : "") + std::to_string(ne[d]);
  return s;
}

}  // namespace hymt
