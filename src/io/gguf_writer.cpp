// gguf_writer.cpp: GGUF v3 writer. Tensors are packed in the order added, each padded to the
// alignment (what the reader's extent check expects); the file appears at its path only once it is
// complete (written to "<path>.tmp.<pid>", flushed, then renamed: io/file_util.h's TempFile).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "io/file_util.h"
#include "io/gguf.h"

namespace hymt {

namespace {

class Out {
 public:
  explicit Out(FILE* f) : f_(f) {}
  bool ok() const { return ok_; }
  uint64_t pos() const { return pos_; }
  void bytes(const void* p, size_t n) {
    if (ok_ && n > 0 && std::fwrite(p, 1, n, f_) != n) ok_ = false;
    pos_ += n;
  }
  template <class T>
  void pod(T v) { bytes(&v, sizeof v); }
  void str(const std::string& s) {
    pod<uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
  void pad_to(uint64_t align) {
    static const uint8_t zeros[64] = {};
    while (pos_ % align) bytes(zeros, std::min<uint64_t>(sizeof zeros, align - pos_ % align));
  }

 private:
  FILE* f_;
  bool ok_ = true;
  uint64_t pos_ = 0;
};

void write_value(Out& o, const GgufValue& v) {
  switch (v.type) {
    case GgufType::kU8: o.pod<uint8_t>(static_cast<uint8_t>(v.u)); break;
    case GgufType::kI8: o.pod<int8_t>(static_cast<int8_t>(v.i)); break;
    case GgufType::kU16: o.pod<uint16_t>(static_cast<uint16_t>(v.u)); break;
    case GgufType::kI16: o.pod<int16_t>(static_cast<int16_t>(v.i)); break;
    case GgufType::kU32: o.pod<uint32_t>(static_cast<uint32_t>(v.u)); break;
    case GgufType::kI32: o.pod<int32_t>(static_cast<int32_t>(v.i)); break;
    case GgufType::kF32: o.pod<float>(static_cast<float>(v.f)); break;
    case GgufType::kBool: o.pod<uint8_t>(v.u ? 1 : 0); break;
    case GgufType::kString: o.str(v.s); break;
    case GgufType::kArray:
      o.pod<uint32_t>(static_cast<uint32_t>(v.elem_type));
      o.pod<uint64_t>(v.arr.size());
      for (const GgufValue& e : v.arr) write_value(o, e);
      break;
    case GgufType::kU64: o.pod<uint64_t>(v.u); break;
    case GgufType::kI64: o.pod<int64_t>(v.i); break;
    case GgufType::kF64: o.pod<double>(v.f); break;
  }
}

}  // namespace

void GgufWriter::set(const std::string& key, GgufValue v) {
  for (auto& kv : kv_)
    if (kv.first == key) {
      kv.second = std::move(v);
      return;
    }
  kv_.emplace_back(key, std::move(v));
}

void GgufWriter::set_string_array(const std::string& key, const std::vector<std::string>& v) {
  std::vector<GgufValue> items;
  items.reserve(v.size());
  for (const auto& s : v) items.push_back(GgufValue::make_string(s));
  set(key, GgufValue::make_array(GgufType::kString, std::move(items)));
}

void GgufWriter::set_i32_array(const std::string& key, const std::vector<int32_t>& v) {
  std::vector<GgufValue> items;
  items.reserve(v.size());
  for (int32_t x : v) items.push_back(GgufValue::make_i32(x));
  set(key, GgufValue::make_array(GgufType::kI32, std::move(items)));
}

void GgufWriter::set_f32_array(const std::string& key, const std::vector<float>& v) {
  std::vector<GgufValue> items;
  items.reserve(v.size());
  for (float x : v) items.push_back(GgufValue::make_f32(x));
  set(key, GgufValue::make_array(GgufType::kF32, std::move(items)));
}

Status GgufWriter::add_tensor(const std::string& name, std::vector<int64_t> ne, WeightType type, FillFn fill) {
  if (name.empty() || name.size() > 64) return invalid_argument("tensor name '" + name + "' must be 1 to 64 bytes");
  for (const auto& t : tensors_)
    if (t.name == name) return invalid_argument("duplicate tensor name '" + name + "'");
  if (ne.empty() || ne.size() > 4) return invalid_argument("tensor '" + name + "': 1 to 4 dimensions");
  if (gguf_type_id(type) == 0xffffffffu)
    return unsupported(std::string("type ") + type_name(type) + " cannot be written");
  auto rb = row_bytes(type, ne[0]);
  if (!rb)
    return invalid_argument("tensor '" + name + "': row length " + std::to_string(ne[0]) + " is not a multiple of " +
                            type_name(type) + "'s block size " + std::to_string(type_info(type).block));
  size_t n = *rb;
  for (size_t d = 1; d < ne.size(); ++d) n *= static_cast<size_t>(ne[d]);
  tensors_.push_back({name, std::move(ne), type, n, std::move(fill)});
  return {};
}

Status GgufWriter::add_tensor_bytes(const std::string& name, std::vector<int64_t> ne, WeightType type,
                                    std::vector<uint8_t> bytes) {
  auto shared = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
  return add_tensor(name, std::move(ne), type, [shared, name](uint8_t* dst, size_t n) -> Status {
    if (shared->size() != n)
      return invalid_argument("tensor '" + name + "': " + std::to_string(shared->size()) + " bytes given, " +
                              std::to_string(n) + " expected");
    std::memcpy(dst, shared->data(), n);
    return {};
  });
}

Status GgufWriter::write(const std::string& path) const {
  TempFile tmp(path);  // removed on every early return below; listed for the CLI's signal handler
  FILE* f = std::fopen(tmp.path().c_str(), "wb");
  if (!f) return io_error(path + ": cannot create: " + std::strerror(errno));
  std::unique_ptr<FILE, int (*)(FILE*)> guard(f, std::fclose);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  Out o(f);

  std::vector<std::pair<std::string, GgufValue>> kv = kv_;
  bool have_align = false;
  for (const auto& p : kv) have_align |= p.first == "general.alignment";
  if (!have_align && alignment_ != 32) kv.emplace_back("general.alignment", GgufValue::make_u32(alignment_));

  o.pod<uint32_t>(0x46554747);
  o.pod<uint32_t>(3);
  o.pod<uint64_t>(tensors_.size());
  o.pod<uint64_t>(kv.size());
  for (const auto& p : kv) {
    o.str(p.first);
    o.pod<uint32_t>(static_cast<uint32_t>(p.second.type));
    write_value(o, p.second);
  }
  uint64_t offset = 0;
  for (const auto& t : tensors_) {
    o.str(t.name);
    o.pod<uint32_t>(static_cast<uint32_t>(t.ne.size()));
    for (int64_t d : t.ne) o.pod<uint64_t>(static_cast<uint64_t>(d));
    o.pod<uint32_t>(gguf_type_id(t.type));
    o.pod<uint64_t>(offset);
    offset += (t.n_bytes + alignment_ - 1) / alignment_ * alignment_;
  }
  o.pad_to(alignment_);
  std::vector<uint8_t> buf;
  for (size_t k = 0; k < tensors_.size(); ++k) {
    const auto& t = tensors_[k];
    buf.assign(t.n_bytes, 0);
    Status st = t.fill(buf.data(), buf.size());
    if (!st.ok()) return st.with_context("tensor '" + t.name + "'");
    o.bytes(buf.data(), buf.size());
    o.pad_to(alignment_);
    if (!o.ok()) break;
    if (progress_) progress_(k + 1, tensors_.size());
  }
  if (!o.ok() || std::fflush(f) != 0 || ::fsync(fileno(f)) != 0)
    return io_error(path + ": write failed: " + std::strerror(errno));
  if (std::fclose(guard.release()) != 0) return io_error(path + ": write failed: " + std::strerror(errno));
  return tmp.commit();
}

}  // namespace hymt
