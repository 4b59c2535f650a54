// safetensors reader (see safetensors.h).
#include "torch_module/safetensors.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"

namespace rrg::torch_module {
namespace {

constexpr std::uint64_t kMaxHeader = 100u << 20;  // the format's own limit is 100 MB

std::size_t dtype_size(const std::string& dtype) {
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" ||
      dtype == "F8_E5M2") {
    return 1;
  }
  return 0;
}

}  // namespace

std::int64_t SafetensorsEntry::element_count() const {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  return n;
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits = 0;
  if (exponent == 0x1F) {
    bits = sign | 0x7F800000 | (mantissa << 13);  // inf / NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal half: normalise
    exponent = 113;
    while ((mantissa & 0x400) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3FF) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float bfloat16_to_float(std::uint16_t b) {
  const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

SafetensorsFile::SafetensorsFile(std::string path) : path_(std::move(path)) {
  in_.open(path_, std::ios::binary);
  if (!in_) throw InputError(path_ + ": cannot be read");
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(path_, ec);
  unsigned char length_bytes[8];
  if (ec || !in_.read(reinterpret_cast<char*>(length_bytes), 8)) {
    throw InputError(path_ + ": not a safetensors file (shorter than its 8-byte header length)");
  }
  std::uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | length_bytes[i];
  if (header_size < 2 || header_size > kMaxHeader || 8 + header_size > file_size) {
    throw InputError(path_ + ": not a safetensors file (header length " +
                     std::to_string(header_size) + " does not fit a file of " +
                     std::to_string(file_size) + " bytes)");
  }
  std::string header(header_size, '\0');
  in_.read(header.data(), static_cast<std::streamsize>(header_size));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(header);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path_ + ": not a safetensors file (its header is not JSON: " + e.what() + ")");
  }
  if (!j.is_object()) throw InputError(path_ + ": not a safetensors file (header not an object)");
  const std::uint64_t data_start = 8 + header_size;
  for (const auto& [name, value] : j.items()) {
    if (name == "__metadata__") continue;
    const std::string where = path_ + ": tensor '" + name + "': ";
    if (!value.is_object() || !value.contains("dtype") || !value["dtype"].is_string() ||
        !value.contains("shape") || !value["shape"].is_array() || !value.contains("data_offsets") ||
        !value["data_offsets"].is_array() || value["data_offsets"].size() != 2) {
      throw InputError(where + "expected {\"dtype\", \"shape\", \"data_offsets\": [begin, end]}");
    }
    SafetensorsEntry e;
    e.dtype = value["dtype"].get<std::string>();
    for (const auto& d : value["shape"]) {
      if (!d.is_number_integer() || d.get<std::int64_t>() < 0) {
        throw InputError(where + "shape " + value["shape"].dump() + " is not a list of sizes");
      }
      e.shape.push_back(d.get<std::int64_t>());
    }
    const auto& offsets = value["data_offsets"];
    if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
      throw InputError(where + "data_offsets must be non-negative integers");
    }
    e.begin = data_start + offsets[0].get<std::uint64_t>();
    e.end = data_start + offsets[1].get<std::uint64_t>();
    const std::size_t size = dtype_size(e.dtype);
    if (size == 0) throw InputError(where + "unknown dtype \"" + e.dtype + "\"");
    if (e.end < e.begin || e.end > file_size ||
        e.end - e.begin != static_cast<std::uint64_t>(e.element_count()) * size) {
      throw InputError(where + "its data_offsets do not hold a " + e.dtype + " tensor of " +
                       value["shape"].dump() + " within the file (truncated or corrupt file?)");
    }
    entries_.emplace(name, std::move(e));
    names_.push_back(name);
  }
  std::sort(names_.begin(), names_.end(), [&](const std::string& a, const std::string& b) {
    return entries_.at(a).begin < entries_.at(b).begin;
  });
}

void SafetensorsFile::read_float32(const std::string& name, float* out) {
  const auto it = entries_.find(name);
  if (it == entries_.end()) throw InputError(path_ + ": no tensor '" + name + "'");
  const SafetensorsEntry& e = it->second;
  const std::int64_t n = e.element_count();
  const auto fail = [&](const std::string& what) {
    throw InputError(path_ + ": tensor '" + name + "': " + what);
  };
  if (e.dtype != "F32" && e.dtype != "F16" && e.dtype != "BF16") {
    fail("dtype " + e.dtype + " cannot be used as weights (F32, F16 or BF16)");
  }
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(e.begin));
  if (e.dtype == "F32") {
    // Little-endian float32 on a little-endian machine: read straight into place.
    if (!in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n * 4))) {
      fail("read failed");
    }
    return;
  }
  std::vector<std::uint16_t> raw(static_cast<std::size_t>(n));
  if (!in_.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(n * 2))) {
    fail("read failed");
  }
  const bool half = e.dtype == "F16";
  for (std::int64_t i = 0; i < n; ++i) {
    out[i] = half ? half_to_float(raw[i]) : bfloat16_to_float(raw[i]);
  }
}

}  // namespace rrg::torch_module
