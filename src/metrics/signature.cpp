// Signature formatting (see signature.h).
#include "rrg/metrics/signature.h"

#include "rrg/core/version.h"

namespace rrg::metrics {

Signature& Signature::set(const std::string& key, const std::string& value) {
  for (auto& field : fields_) {
    if (field.first == key) {
      field.second = value;
      return *this;
    }
  }
  fields_.emplace_back(key, value);
  return *this;
}

std::string Signature::get(const std::string& key) const {
  for (const auto& field : fields_) {
    if (field.first == key) return field.second;
  }
  return "";
}

std::string Signature::format() const {
  std::string out = name_;
  for (const auto& [key, value] : fields_) {
    if (value.empty() || key == "version") continue;
    out += "|" + key + ":" + value;
  }
  out += "|version:";
  out += rrg::version();
  return out;
}

}  // namespace rrg::metrics
