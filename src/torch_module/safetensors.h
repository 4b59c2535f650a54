// Inside librrg_torch.so (but torch-free): reading `model.safetensors` files.
//
// Layout (github.com/huggingface/safetensors, "Format"): an 8-byte little-endian unsigned header
// length N, N bytes of JSON {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin,
// end]}, ..., "__metadata__": {...}}, then the raw little-endian tensor bytes; offsets count from
// the end of the header. Tensors are read one at a time on request, so a model that uses some of
// the file (bert_score's truncated layers) only reads those. F32, F16 and BF16 become float32.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace rrg::torch_module {

struct SafetensorsEntry {
  std::string dtype;  // "F32", "F16", "BF16", ...
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;  // absolute file offsets
  std::int64_t element_count() const;
};

class SafetensorsFile {
 public:
  // Parses the header; throws rrg::InputError naming the file when it is not a safetensors file,
  // is truncated, or an entry's offsets or size do not fit its dtype and shape.
  explicit SafetensorsFile(std::string path);

  const std::string& path() const { return path_; }
  const std::map<std::string, SafetensorsEntry>& entries() const { return entries_; }
  // Tensor names in file offset order.
  const std::vector<std::string>& names() const { return names_; }

  // Reads tensor `name` as float32 into `out` (element_count() values). Throws rrg::InputError
  // naming the file and tensor when the dtype is not F32, F16 or BF16 or the read fails.
  void read_float32(const std::string& name, float* out);

 private:
  std::string path_;
  std::ifstream in_;
  std::map<std::string, SafetensorsEntry> entries_;
  std::vector<std::string> names_;
};

// IEEE half and bfloat16 to float32 (exact).
float half_to_float(std::uint16_t bits);
float bfloat16_to_float(std::uint16_t bits);

}  // namespace rrg::torch_module
