// Signature formatting (see signature.h).
#include "rrg/metrics/signature.h"

#include <atomic>

#include "rrg/core/version.h"

namespace rrg::metrics {
namespace {

// Every field rrg writes, in the one order signatures print them: what was computed (convention,
// labeler, model), how texts became tokens, the metric's own parameters, the inputs (nrefs).
// Fields not listed here go before nrefs, in the order they were set.
constexpr const char* kFieldOrder[] = {
    "conv",     "labeler",  "model",  "layer",   "tok",    "clean",   "obs",      "avg",
    "unc",      "emb",      "opt",    "variant", "n",      "weights", "smooth",   "stem",
    "syn",      "alpha",    "beta",   "gamma",   "sigma",  "df",      "multiref", "idf",
    "rescaled", "baseline", "prompt", "temp",    "parser", "nrefs",   "version"};

constexpr std::size_t kUnlisted = 1000;

std::size_t field_rank(const std::string& key) {
  std::size_t rank = 0;
  for (const char* listed : kFieldOrder) {
    if (key == listed) return rank;
    ++rank;
  }
  return kUnlisted;
}

// Unlisted fields sort just before nrefs.
std::size_t sort_rank(const std::string& key) {
  const std::size_t rank = field_rank(key);
  if (rank != kUnlisted) return 2 * rank;
  return 2 * field_rank("nrefs") - 1;
}

}  // namespace

Signature::Signature(std::string metric_name)
    : data_(std::make_shared<Data>(Data{std::move(metric_name), {}})) {}

const std::string& Signature::name() const {
  static const std::string kEmpty;
  return data_ ? data_->name : kEmpty;
}

const std::vector<std::pair<std::string, std::string>>& Signature::fields() const {
  static const std::vector<std::pair<std::string, std::string>> kNone;
  return data_ ? data_->fields : kNone;
}

Signature& Signature::set(const std::string& key, const std::string& value) {
  if (!data_) {
    data_ = std::make_shared<Data>();
  } else if (data_.use_count() > 1) {
    data_ = std::make_shared<Data>(*data_);  // shared with copies: change a copy of its own
  } else {
    // The last other owner may have just let go on another thread: its reads of the data
    // happen before the writes below.
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  std::vector<std::pair<std::string, std::string>>& fields = data_->fields;
  for (auto& field : fields) {
    if (field.first == key) {
      field.second = value;
      return *this;
    }
  }
  const std::size_t rank = sort_rank(key);
  auto position = fields.begin();
  while (position != fields.end() && sort_rank(position->first) <= rank) ++position;
  fields.emplace(position, key, value);
  return *this;
}

std::string Signature::get(const std::string& key) const {
  for (const auto& field : fields()) {
    if (field.first == key) return field.second;
  }
  return "";
}

std::string Signature::format() const {
  const char* version = rrg::version();
  const std::string& name = this->name();
  const auto& fields = this->fields();
  std::size_t size = name.size() + 9 + std::char_traits<char>::length(version);
  for (const auto& [key, value] : fields) size += key.size() + value.size() + 2;
  std::string out;
  out.reserve(size);
  out += name;
  for (const auto& [key, value] : fields) {
    if (value.empty() || key == "version") continue;
    out += '|';
    out += key;
    out += ':';
    out += value;
  }
  out += "|version:";
  out += version;
  return out;
}

}  // namespace rrg::metrics
