// safetensors.cpp: the strict safetensors reader. The rules are the format's own (as its reference
// implementation enforces them): header length within the file and below 100 MB, a JSON object
// starting with '{', known dtypes, shape x dtype size equal to the byte range, ranges that tile the
// data section exactly (sorted by offset: each starts where the previous ended, the last ends at the
// end of the file). Duplicate JSON keys are refused too (a JSON library would keep only one).
#include "io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/half.h"
#include "io/file_util.h"

namespace hymt {

namespace {

using json = nlohmann::json;

struct DTypeRow {
  const char* name;
  SafeDType type;
  size_t size;
};

// Every dtype of the format whose element is a whole number of bytes.
const DTypeRow kDTypes[] = {
    {"F32", SafeDType::kF32, 4},       {"F16", SafeDType::kF16, 2},       {"BF16", SafeDType::kBF16, 2},
    {"F64", SafeDType::kF64, 8},       {"I64", SafeDType::kI64, 8},       {"I32", SafeDType::kI32, 4},
    {"I16", SafeDType::kI16, 2},       {"I8", SafeDType::kI8, 1},         {"U8", SafeDType::kU8, 1},
    {"BOOL", SafeDType::kBool, 1},     {"F8_E4M3", SafeDType::kF8E4M3, 1}, {"F8_E5M2", SafeDType::kF8E5M2, 1},
    {"U16", SafeDType::kOther, 2},     {"U32", SafeDType::kOther, 4},     {"U64", SafeDType::kOther, 8},
    {"F8_E8M0", SafeDType::kOther, 1},
};

const DTypeRow* find_dtype(const std::string& name) {
  for (const DTypeRow& r : kDTypes)
    if (name == r.name) return &r;
  return nullptr;
}

std::string shape_str(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// JSON parse that refuses duplicate keys in any object (nlohmann would silently keep the last).
// Returns a discarded value on any error; *dup names the first duplicate key.
json parse_strict(const char* begin, const char* end, std::string* dup) {
  std::vector<std::set<std::string>> seen;  // one key set per open object
  auto cb = [&](int /*depth*/, json::parse_event_t ev, json& parsed) -> bool {
    switch (ev) {
      case json::parse_event_t::object_start: seen.emplace_back(); break;
      case json::parse_event_t::object_end:
        if (!seen.empty()) seen.pop_back();
        break;
      case json::parse_event_t::key:
        if (!seen.empty() && parsed.is_string() && !seen.back().insert(parsed.get<std::string>()).second &&
            dup->empty())
          *dup = parsed.get<std::string>();
        break;
      default: break;
    }
    return true;
  };
  return json::parse(begin, end, cb, /*allow_exceptions=*/false);
}

}  // namespace

const char* safe_dtype_name(SafeDType t) {
  for (const DTypeRow& r : kDTypes)
    if (r.type == t) return r.name;
  return "?";
}

size_t safe_dtype_size(SafeDType t) {
  for (const DTypeRow& r : kDTypes)
    if (r.type == t) return r.size;
  return 0;
}

bool safe_dtype_is_float_weight(SafeDType t) {
  return t == SafeDType::kF32 || t == SafeDType::kF16 || t == SafeDType::kBF16;
}

int64_t SafeTensor::n_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string SafeTensor::shape_string() const { return shape_str(shape); }

float SafeTensor::get(int64_t i) const {
  float v = 0;
  to_f32(i, 1, &v);
  return v;
}

void SafeTensor::to_f32(int64_t first, int64_t n, float* dst) const {
  HYMT_ASSERT(first >= 0 && n >= 0 && first + n <= n_elements());
  const uint8_t* p = data + static_cast<size_t>(first) * safe_dtype_size(dtype);
  switch (dtype) {
    case SafeDType::kF32: std::memcpy(dst, p, static_cast<size_t>(n) * 4); break;
    case SafeDType::kF16:
    case SafeDType::kBF16:
      for (int64_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);  // the data section need not be 2-byte aligned
        dst[i] = dtype == SafeDType::kF16 ? fp16_to_f32(h) : bf16_to_f32(h);
      }
      break;
    default: HYMT_ASSERT(!"to_f32 on a non-float tensor");
  }
}

Result<std::unique_ptr<SafetensorsFile>> SafetensorsFile::open(const std::string& path, const SafetensorsLimits& lim) {
  std::unique_ptr<SafetensorsFile> f(new SafetensorsFile());
  HYMT_ASSIGN_OR_RETURN(f->map_, MappedFile::open(path));
  HYMT_RETURN_IF_ERROR(f->parse(lim).with_context(path));
  return f;
}

Status SafetensorsFile::parse(const SafetensorsLimits& lim) {
  const uint8_t* base = map_.data();
  const size_t size = map_.size();
  if (size < 8) return corrupt_file("file is " + std::to_string(size) + " bytes, too short for the 8-byte header length");
  uint64_t n_header = 0;
  for (int i = 7; i >= 0; --i) n_header = (n_header << 8) | base[i];
  if (n_header == 0) return corrupt_file("header length is 0");
  if (n_header > lim.max_header_bytes)
    return corrupt_file("header length " + std::to_string(n_header) + " exceeds the " +
                        std::to_string(lim.max_header_bytes) + "-byte limit");
  if (n_header > size - 8)
    return corrupt_file("header length " + std::to_string(n_header) + " runs past the end of the file (" +
                        std::to_string(size) + " bytes)");
  const char* hb = reinterpret_cast<const char*>(base + 8);
  if (hb[0] != '{') return corrupt_file("header does not start with '{'");
  std::string dup;
  json header = parse_strict(hb, hb + n_header, &dup);
  if (header.is_discarded()) return corrupt_file("header is not valid JSON (or not UTF-8)");
  if (!header.is_object()) return corrupt_file("header is not a JSON object");
  if (!dup.empty()) return corrupt_file("header has the key '" + dup + "' twice");

  const uint8_t* data = base + 8 + n_header;
  const uint64_t data_size = size - 8 - n_header;
  struct Range {
    uint64_t begin, end;
    size_t index;
  };
  std::vector<Range> ranges;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& name = it.key();
    const json& v = it.value();
    if (name == "__metadata__") {
      if (!v.is_object()) return corrupt_file("__metadata__ is not an object");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) return corrupt_file("__metadata__ value '" + m.key() + "' is not a string");
        metadata_[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    auto bad = [&](const std::string& m) { return corrupt_file("tensor '" + name + "': " + m); };
    if (!v.is_object()) return bad("entry is not an object");
    for (auto k = v.begin(); k != v.end(); ++k)
      if (k.key() != "dtype" && k.key() != "shape" && k.key() != "data_offsets") return bad("unknown field '" + k.key() + "'");
    const auto dt = v.find("dtype");
    const auto sh = v.find("shape");
    const auto off = v.find("data_offsets");
    if (dt == v.end() || !dt->is_string()) return bad("missing or non-string dtype");
    if (sh == v.end() || !sh->is_array()) return bad("missing or non-array shape");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
        !(*off)[1].is_number_unsigned())
      return bad("data_offsets must be two non-negative integers");
    SafeTensor t;
    t.name = name;
    t.dtype_name = dt->get<std::string>();
    t.file = map_.path();
    const DTypeRow* row = find_dtype(t.dtype_name);
    if (!row) return bad("unknown dtype '" + t.dtype_name + "'");
    t.dtype = row->type;
    uint64_t n_elem = 1;
    for (const json& d : *sh) {
      if (!d.is_number_unsigned()) return bad("shape entries must be non-negative integers");
      const uint64_t x = d.get<uint64_t>();
      if (x > (uint64_t{1} << 62) || __builtin_mul_overflow(n_elem, x, &n_elem) || n_elem > (uint64_t{1} << 62))
        return bad("shape " + sh->dump() + " overflows");
      t.shape.push_back(static_cast<int64_t>(x));
    }
    uint64_t n_bytes = 0;
    if (__builtin_mul_overflow(n_elem, static_cast<uint64_t>(row->size), &n_bytes)) return bad("byte size overflows");
    const uint64_t b = (*off)[0].get<uint64_t>(), e = (*off)[1].get<uint64_t>();
    if (e < b) return bad("data_offsets [" + std::to_string(b) + ", " + std::to_string(e) + "] end before they begin");
    if (e - b != n_bytes)
      return bad("shape " + t.shape_string() + " of " + t.dtype_name + " needs " + std::to_string(n_bytes) +
                 " bytes but data_offsets [" + std::to_string(b) + ", " + std::to_string(e) + "] hold " +
                 std::to_string(e - b));
    if (e > data_size)
      return bad("data_offsets [" + std::to_string(b) + ", " + std::to_string(e) + "] run past the data section (" +
                 std::to_string(data_size) + " bytes)");
    t.data = data + b;
    t.n_bytes = static_cast<size_t>(n_bytes);
    ranges.push_back({b, e, tensors_.size()});
    tensors_.push_back(std::move(t));
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& x, const Range& y) { return x.begin != y.begin ? x.begin < y.begin : x.end < y.end; });
  uint64_t pos = 0;
  for (const Range& r : ranges) {
    const std::string& name = tensors_[r.index].name;
    if (r.begin < pos)
      return corrupt_file("tensor '" + name + "' at data offset " + std::to_string(r.begin) +
                          " overlaps the previous tensor, which ends at " + std::to_string(pos));
    if (r.begin > pos)
      return corrupt_file("tensor '" + name + "' starts at data offset " + std::to_string(r.begin) + ", leaving " +
                          std::to_string(r.begin - pos) + " unused bytes before it");
    pos = r.end;
  }
  if (pos != data_size)
    return corrupt_file("the tensors end at data offset " + std::to_string(pos) + " but the data section has " +
                        std::to_string(data_size) + " bytes");
  std::vector<SafeTensor> sorted;
  sorted.reserve(tensors_.size());
  for (const Range& r : ranges) sorted.push_back(std::move(tensors_[r.index]));
  tensors_ = std::move(sorted);
  return {};
}

Status SafetensorsModel::add_file(std::unique_ptr<SafetensorsFile> f) {
  for (const SafeTensor& t : f->tensors()) {
    auto [it, fresh] = index_.emplace(t.name, &t);
    if (!fresh) return corrupt_file("tensor '" + t.name + "' is in both " + it->second->file + " and " + t.file);
  }
  files_.push_back(std::move(f));
  return {};
}

Result<std::unique_ptr<SafetensorsModel>> SafetensorsModel::open_file(const std::string& path,
                                                                      const SafetensorsLimits& lim) {
  std::unique_ptr<SafetensorsModel> m(new SafetensorsModel());
  HYMT_ASSIGN_OR_RETURN(auto f, SafetensorsFile::open(path, lim));
  HYMT_RETURN_IF_ERROR(m->add_file(std::move(f)));
  return m;
}

Result<std::unique_ptr<SafetensorsModel>> SafetensorsModel::open_dir(const std::string& dir,
                                                                     const SafetensorsLimits& lim) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path d(dir);
  if (!fs::is_directory(d, ec)) return not_found(dir + ": not a folder");
  const fs::path single = d / "model.safetensors", index = d / "model.safetensors.index.json";
  if (fs::exists(single, ec)) return open_file(single.string(), lim);
  if (!fs::exists(index, ec)) {
    std::string hint;
    if (fs::exists(d / "pytorch_model.bin", ec)) hint = " (pytorch_model.bin checkpoints are not read: convert them to safetensors)";
    return not_found(dir + ": neither model.safetensors nor model.safetensors.index.json" + hint);
  }
  const std::string ipath = index.string();
  HYMT_ASSIGN_OR_RETURN(std::string text, read_file(ipath));
  std::string dup;
  json j = parse_strict(text.data(), text.data() + text.size(), &dup);
  if (j.is_discarded() || !j.is_object()) return corrupt_file(ipath + ": not a JSON object");
  if (!dup.empty()) return corrupt_file(ipath + ": the key '" + dup + "' appears twice");
  const auto wm = j.find("weight_map");
  if (wm == j.end() || !wm->is_object() || wm->empty()) return corrupt_file(ipath + ": no weight_map object");
  std::map<std::string, std::string> where;  // tensor -> shard file name
  std::vector<std::string> shards;
  for (auto it = wm->begin(); it != wm->end(); ++it) {
    if (!it.value().is_string()) return corrupt_file(ipath + ": weight_map['" + it.key() + "'] is not a string");
    const std::string file = it.value().get<std::string>();
    if (file.empty() || file == "." || file == ".." || file.find('/') != std::string::npos ||
        file.find('\\') != std::string::npos)
      return corrupt_file(ipath + ": shard name '" + file + "' is not a plain file name in the folder");
    where[it.key()] = file;
    if (std::find(shards.begin(), shards.end(), file) == shards.end()) shards.push_back(file);
  }
  std::sort(shards.begin(), shards.end());
  std::unique_ptr<SafetensorsModel> m(new SafetensorsModel());
  for (const std::string& s : shards) {
    const std::string p = (d / s).string();
    auto f = SafetensorsFile::open(p, lim);
    if (!f.ok()) return f.status().with_context(ipath + " names shard " + s);
    for (const SafeTensor& t : f.value()->tensors()) {
      auto w = where.find(t.name);
      if (w == where.end()) return corrupt_file(p + ": tensor '" + t.name + "' is not in the index's weight_map");
      if (w->second != s)
        return corrupt_file(p + ": tensor '" + t.name + "' is here but the index says it is in " + w->second);
    }
    HYMT_RETURN_IF_ERROR(m->add_file(std::move(f).value()));
  }
  for (const auto& [name, file] : where)
    if (!m->find(name)) return corrupt_file(ipath + ": tensor '" + name + "' is missing from shard " + file);
  return m;
}

const SafeTensor* SafetensorsModel::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : it->second;
}

std::vector<std::string> SafetensorsModel::names() const {
  std::vector<std::string> out;
  out.reserve(index_.size());
  for (const auto& kv : index_) out.push_back(kv.first);
  return out;
}

}  // namespace hymt
