// Signatures: the sacrebleu-style string that says exactly how a number was computed.
//
// "BLEU-4|conv:nltk-3.8|tok:lower-split|clean:seed|smooth:method1|nrefs:1|version:0.1.0"
// Fields are kept in one fixed order whatever order they were set in (conv, labeler, model,
// tok, clean, ..., nrefs; see signature.cpp), so every metric's signature reads the same way;
// `version` is always printed last. The same fields are written as ordinary keys in JSON
// outputs.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rrg::metrics {

class Signature {
 public:
  Signature() = default;
  explicit Signature(std::string metric_name);

  // Sets `key` to `value`, replacing an earlier value in place (order is kept).
  Signature& set(const std::string& key, const std::string& value);

  // The value of `key`, or "" when unset.
  std::string get(const std::string& key) const;

  const std::string& name() const;
  const std::vector<std::pair<std::string, std::string>>& fields() const;

  // "NAME|key:value|...|version:X".
  std::string format() const;

  // True when both are copies of one signature that neither changed since, hence equal (false
  // says nothing: compare name() and fields()).
  bool shares(const Signature& other) const { return data_ != nullptr && data_ == other.data_; }

 private:
  struct Data {
    std::string name;
    std::vector<std::pair<std::string, std::string>> fields;
  };
  // Copies share one immutable Data (a scorer hands out the same signatures request after
  // request: `rrg serve`'s clinical family has 133); set() copies it first when it is shared.
  // Null = no name, no fields.
  std::shared_ptr<Data> data_;
};

}  // namespace rrg::metrics
