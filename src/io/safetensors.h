// safetensors.h: strict reader for Hugging Face safetensors checkpoints, single-file
// (model.safetensors) or sharded (model.safetensors.index.json + shards). A file is: u64 LE header
// length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
// {string: string}}, then the data section; offsets are relative to the data section. Everything is
// validated before a byte of tensor data is trusted: header bounds, JSON shape, duplicate names,
// dtype, shape x dtype size = byte length, offsets inside the data section, no overlaps or gaps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/mapped_file.h"
#include "core/status.h"

namespace hymt {

enum class SafeDType {
  kF32,
  kF16,
  kBF16,
  kF64,
  kI64,
  kI32,
  kI16,
  kI8,
  kU8,
  kBool,
  kF8E4M3,
  kF8E5M2,
  kOther,  // another dtype the format allows (U16, U32, U64, ...): listed, never converted
};

const char* safe_dtype_name(SafeDType t);
size_t safe_dtype_size(SafeDType t);
// True for the dtypes a weight can be converted from (F32, F16, BF16).
bool safe_dtype_is_float_weight(SafeDType t);

struct SafeTensor {
  std::string name;
  SafeDType dtype = SafeDType::kF32;
  std::string dtype_name;      // as written in the header
  std::vector<int64_t> shape;  // PyTorch order: shape[0] is the slowest dimension
  const uint8_t* data = nullptr;
  size_t n_bytes = 0;
  std::string file;            // the file holding it (for messages)

  int64_t n_elements() const;
  std::string shape_string() const;  // "[512, 128]"
  // Element i (0 <= i < n_elements()) widened to float; only for F32/F16/BF16 tensors.
  float get(int64_t i) const;
  // Converts elements [first, first + n) to float (F32/F16/BF16 only).
  void to_f32(int64_t first, int64_t n, float* dst) const;
};

struct SafetensorsLimits {
  // Header length cap: the reference implementation refuses headers above 100 MB.
  uint64_t max_header_bytes = 100ull << 20;
};

// One mapped .safetensors file.
class SafetensorsFile {
 public:
  static Result<std::unique_ptr<SafetensorsFile>> open(const std::string& path, const SafetensorsLimits& lim = {});

  const std::vector<SafeTensor>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::string& path() const { return map_.path(); }

 private:
  SafetensorsFile() = default;
  Status parse(const SafetensorsLimits& lim);

  MappedFile map_;
  std::vector<SafeTensor> tensors_;  // in data-offset order
  std::map<std::string, std::string> metadata_;
};

// All tensors of a checkpoint folder: model.safetensors, or the shards model.safetensors.index.json
// names (each tensor must be in the shard the index says, and every shard tensor in the index).
class SafetensorsModel {
 public:
  static Result<std::unique_ptr<SafetensorsModel>> open_dir(const std::string& dir, const SafetensorsLimits& lim = {});
  // A single file, as a model.
  static Result<std::unique_ptr<SafetensorsModel>> open_file(const std::string& path,
                                                             const SafetensorsLimits& lim = {});

  const SafeTensor* find(const std::string& name) const;
  // Names in sorted order.
  std::vector<std::string> names() const;
  size_t size() const { return index_.size(); }
  const std::vector<std::unique_ptr<SafetensorsFile>>& files() const { return files_; }

 private:
  SafetensorsModel() = default;
  Status add_file(std::unique_ptr<SafetensorsFile> f);

  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, const SafeTensor*> index_;
};

}  // namespace hymt
