// Signatures: the sacrebleu-style string that says exactly how a number was computed.
//
// "BLEU-4|conv:nltk-3.8|tok:lower-split|clean:seed|smooth:method1|nrefs:1|version:0.1.0"
// Fields are kept in one fixed order whatever order they were set in (conv, labeler, model,
// tok, clean, ..., nrefs; see signature.cpp), so every metric's signature reads the same way;
// `version` is always printed last. The same fields are written as ordinary keys in JSON
// outputs.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rrg::metrics {

class Signature {
 public:
  Signature() = default;
  explicit Signature(std::string metric_name) : name_(std::move(metric_name)) {}

  // Sets `key` to `value`, replacing an earlier value in place (order is kept).
  Signature& set(const std::string& key, const std::string& value);

  // The value of `key`, or "" when unset.
  std::string get(const std::string& key) const;

  const std::string& name() const { return name_; }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

  // "NAME|key:value|...|version:X".
  std::string format() const;

 private:
  std::string name_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace rrg::metrics
