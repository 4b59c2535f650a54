// The text routes: /v1/health, /v1/metrics, /v1/score, /v1/label, /v1/report. Scoring goes
// through the evaluate pipeline with the scorers built at start-up, so /v1/score answers what
// `rrg evaluate --json` writes for the same pairs.
#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "rrg/chexpert/label_io.h"
#include "rrg/chexpert/observations.h"
#include "rrg/core/errors.h"
#include "rrg/core/version.h"
#include "rrg/io/pairing.h"
#include "rrg/io/report_file.h"
#include "rrg/metrics/registry.h"
#include "rrg/pipelines/evaluation_output.h"
#include "rrg/pipelines/evaluation_report.h"
#include "rrg/report/html_report.h"
#include "serve_internal.h"

namespace rrg::serve {

nlohmann::json parse_json_body(const httplib::Request& request) {
  const std::string type = request.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    throw RequestError(415, "send the body as JSON with \"Content-Type: application/json\"" +
                                (type.empty() ? std::string() : " (got \"" + type + "\")"));
  }
  try {
    return nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    throw RequestError(400, std::string("malformed JSON body: ") + e.what());
  }
}

namespace {

// object[key] (const or not: /v1/score takes its texts out of the DOM), or RequestError 422
// "<where()>: missing "key""; `where` is built only for an error.
template <typename Json, typename Where>
Json& member(Json& object, const char* key, const Where& where) {
  const auto found = object.find(key);
  if (found == object.end()) throw RequestError(422, where() + ": missing \"" + key + "\"");
  return *found;
}

std::string body_where() {
  return "body";
}

std::string string_value(const nlohmann::json& value, const std::string& where) {
  if (!value.is_string()) throw RequestError(422, where + ": expected a string");
  return value.get<std::string>();
}

// string_value() taking the text out of the request's DOM; `where` is built only for an error.
template <typename Where>
std::string take_string(nlohmann::json& value, const Where& where) {
  if (!value.is_string()) throw RequestError(422, where() + ": expected a string");
  return std::move(value.get_ref<std::string&>());
}

std::vector<std::string> metric_names(const nlohmann::json& body,
                                      const std::vector<std::string>& defaults) {
  const auto found = body.find("metrics");
  if (found == body.end() || found->is_null()) return defaults;
  if (!found->is_array()) throw RequestError(422, "\"metrics\": expected an array of names");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < found->size(); ++i) {
    names.push_back(string_value((*found)[i], "\"metrics\"[" + std::to_string(i) + "]"));
  }
  return names;
}

// True when the selection reads labels or embeddings (a labeler must be borrowed).
bool needs_labeler(const metrics::MetricSelection& selection) {
  for (const auto& info : metrics::scorer_infos()) {
    for (const auto& id : selection.scorer_ids) {
      if (id == info.id && (info.needs == metrics::ScorerNeeds::kLabels ||
                            info.needs == metrics::ScorerNeeds::kEmbeddings ||
                            info.needs == metrics::ScorerNeeds::kRadCliq)) {
        return true;
      }
    }
  }
  return false;
}

// True when the selection's only use of a labeler is its labels (no embeddings, no RadCliQ-v1).
bool needs_only_labels(const metrics::MetricSelection& selection) {
  for (const auto& info : metrics::scorer_infos()) {
    for (const auto& id : selection.scorer_ids) {
      if (id == info.id && (info.needs == metrics::ScorerNeeds::kEmbeddings ||
                            info.needs == metrics::ScorerNeeds::kRadCliq)) {
        return false;
      }
    }
  }
  return true;
}

// The labeler of a request whose metrics only read labels: a labeler of the pool is borrowed
// for each labelling call instead of for the whole request, so that a request preempted while it
// scores holds no labeler the others wait for (with 16 clients on 2 cores and 4 rules labelers,
// p99 was 15-17 ms this way against 9-10 ms with a labeler per request thread). The name,
// identity and note are those of the labeler that labelled (every labeler of the pool is built
// from the same options).
class BorrowingLabeler final : public labelers::Labeler {
 public:
  explicit BorrowingLabeler(LabelerPool& pool) : pool_(pool) {}

  std::string name() const override { return described().name; }
  std::string identity() const override { return described().identity; }
  std::string note() const override { return described().note; }
  std::vector<labelers::LabelResult> label(const std::vector<std::string>& texts) override {
    const auto lease = pool_.acquire();
    remember(*lease->get());
    return lease->get()->label(texts);
  }
  std::vector<labelers::LabelResult> label_views(
      const std::vector<std::string_view>& texts) override {
    const auto lease = pool_.acquire();
    remember(*lease->get());
    return lease->get()->label_views(texts);
  }

 private:
  struct Description {
    std::string name, identity, note;
  };
  void remember(const labelers::Labeler& labeler) const {
    if (description_) return;
    description_ = Description{labeler.name(), labeler.identity(), labeler.note()};
  }
  const Description& described() const {
    if (!description_) remember(*pool_.acquire()->get());
    return *description_;
  }

  LabelerPool& pool_;
  mutable std::optional<Description> description_;
};

// `names` resolved for this server (the registry's selection and whether it needs a labeler),
// once per distinct list; RequestError 422 for unknown or unavailable names.
std::shared_ptr<const ResolvedMetrics> resolve_metrics(ServeState& state,
                                                       const std::vector<std::string>& names) {
  {
    const std::lock_guard<std::mutex> lock(state.resolved_mutex);
    const auto found = state.resolved.find(names);
    if (found != state.resolved.end()) return found->second;
  }
  labelers::Labeler* any = state.labelers.empty() ? nullptr : &state.labelers.any();
  auto resolved = std::make_shared<ResolvedMetrics>();
  try {
    resolved->selection =
        pipelines::select_evaluation_metrics(names, any, state.options.scoring.scorer_options);
  } catch (const InputError& e) {
    throw RequestError(422, std::string("\"metrics\": ") + e.what());
  }
  resolved->needs_labeler = any != nullptr && needs_labeler(resolved->selection);
  const std::lock_guard<std::mutex> lock(state.resolved_mutex);
  if (state.resolved.size() < ServeState::kMaxResolved) state.resolved.emplace(names, resolved);
  return resolved;
}

// Scores `paired` with `names` (the evaluate pipeline, prebuilt scorers, one thread: the server's
// concurrency comes from its request threads).
pipelines::EvaluationResult score_pairs(ServeState& state, io::PairedReports paired,
                                        const std::vector<std::string>& names) {
  const std::shared_ptr<const ResolvedMetrics> resolved = resolve_metrics(state, names);
  pipelines::EvaluateOptions options = state.options.scoring;
  options.metrics = names;
  options.threads = 1;
  options.prebuilt_scorers = &state.scorers;
  options.selection = &resolved->selection;
  labelers::Labeler* any = state.labelers.empty() ? nullptr : &state.labelers.any();
  std::unique_ptr<LabelerPool::Lease> lease;
  std::optional<BorrowingLabeler> borrowing;
  if (resolved->needs_labeler && needs_only_labels(resolved->selection)) {
    options.labeler = &borrowing.emplace(state.labelers);
  } else if (resolved->needs_labeler) {
    lease = state.labelers.acquire();  // embeddings too: the labeler serves the whole request
    options.labeler = lease->get();
  } else {
    options.labeler = any;  // selection context only; the labeler is not called
  }
  return pipelines::evaluate(std::move(paired), options);
}

// A /v1/score body of the usual shape read without a DOM: {"pairs": [{"id", "prediction",
// "reference"}, ...], "metrics": [...]} with string ids and texts, references as a string or a
// non-empty array of strings, metrics absent, null or an array of strings, other members of any
// value but a number. read() gives false for anything else -- another shape, a number, a \u
// escape, a repeated key or id, malformed JSON -- and handle_score() then parses the body as
// before, which names the problem; what read() accepts, that parse accepts with the same texts.
// (nlohmann's lexer builds every string a byte at a time: 7% of a seed,clinical request.)
class ScoreBodyReader {
 public:
  explicit ScoreBodyReader(std::string_view body) : s_(body) {}

  bool read(io::PairedReports& paired, std::optional<std::vector<std::string>>& metrics) {
    std::vector<std::string> keys;
    bool have_pairs = false;
    if (!next('{')) return false;
    if (peek() == '}') return false;  // no "pairs"
    do {
      std::string key;
      if (!string(key) || !next(':') || seen(keys, key)) return false;
      keys.push_back(key);
      if (key == "pairs") {
        if (!pairs(paired)) return false;
        have_pairs = true;
      } else if (key == "metrics") {
        if (peek() == 'n') {
          if (!literal("null")) return false;
        } else {
          metrics.emplace();
          if (!strings(*metrics)) return false;
        }
      } else if (!skip_value(0)) {
        return false;
      }
    } while (next(','));
    if (!next('}')) return false;
    skip_space();
    return have_pairs && i_ == s_.size();
  }

 private:
  static bool seen(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }

  void skip_space() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }
  char peek() {
    skip_space();
    return i_ < s_.size() ? s_[i_] : '\0';
  }
  // Consumes `c` (after white space) when it comes next.
  bool next(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  // Bytes i_, i_ + 1, ... of a well-formed UTF-8 sequence starting with lead byte `b` (the ranges
  // of Unicode's Table 3-7, which nlohmann's lexer checks too); false for anything else.
  bool utf8_sequence(unsigned char b) {
    int length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 2;
      if (b == 0xE0) low = 0xA0;
      if (b == 0xED) high = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 3;
      if (b == 0xF0) low = 0x90;
      if (b == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    for (int k = 0; k < length; ++k, low = 0x80, high = 0xBF) {
      if (i_ >= s_.size()) return false;
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c < low || c > high) return false;
      ++i_;
    }
    return true;
  }

  // A JSON string (after white space) into `out`.
  bool string(std::string& out) {
    if (!next('"')) return false;
    out.clear();
    while (i_ < s_.size()) {
      const std::size_t start = i_;
      while (i_ < s_.size()) {
        const auto c = static_cast<unsigned char>(s_[i_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++i_;
      }
      out.append(s_.data() + start, i_ - start);
      if (i_ == s_.size()) return false;
      const auto c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const std::size_t lead = i_ - 1;
        if (!utf8_sequence(c)) return false;
        out.append(s_.data() + lead, i_ - lead);
        continue;
      }
      if (i_ == s_.size()) return false;  // a backslash ends the body
      switch (s_[i_++]) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        default:
          return false;  // \u (and anything invalid): the general parser
      }
    }
    return false;
  }

  // A non-empty array of strings... or an empty one: [] and ["a", ...].
  bool strings(std::vector<std::string>& out) {
    if (!next('[')) return false;
    if (next(']')) return true;
    do {
      out.emplace_back();
      if (!string(out.back())) return false;
    } while (next(','));
    return next(']');
  }

  bool pairs(io::PairedReports& paired) {
    if (!next('[') || peek() == ']') return false;  // an empty list is an error
    std::unordered_set<std::string_view> ids;
    std::vector<std::string> keys;
    do {
      if (!next('{')) return false;
      keys.clear();
      bool have_id = false, have_prediction = false, have_reference = false;
      std::string id, prediction;
      std::vector<std::string> references;
      if (peek() != '}') {
        do {
          std::string key;
          if (!string(key) || !next(':') || seen(keys, key)) return false;
          keys.push_back(key);
          if (key == "id") {
            have_id = string(id);
            if (!have_id) return false;
          } else if (key == "prediction") {
            have_prediction = string(prediction);
            if (!have_prediction) return false;
          } else if (key == "reference") {
            if (peek() == '[') {
              if (!strings(references) || references.empty()) return false;
            } else {
              references.emplace_back();
              if (!string(references.back())) return false;
            }
            have_reference = true;
          } else if (!skip_value(0)) {
            return false;
          }
        } while (next(','));
      }
      if (!next('}') || !have_prediction || !have_reference) return false;
      paired.ids.push_back(have_id ? std::move(id) : std::to_string(paired.ids.size()));
      paired.predictions.push_back(std::move(prediction));
      paired.references.push_back(std::move(references));
    } while (next(','));
    if (!next(']')) return false;
    for (const auto& id : paired.ids) {
      if (!ids.insert(id).second) return false;  // a duplicate id: the general path says which
    }
    paired.prediction_errors.resize(paired.ids.size());
    return true;
  }

  // Any value but a number (whose grammar is left to the general parser).
  bool skip_value(int depth) {
    if (depth > 64) return false;
    std::string scratch;
    switch (peek()) {
      case '"':
        return string(scratch);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      case '[':
        ++i_;
        if (next(']')) return true;
        do {
          if (!skip_value(depth + 1)) return false;
        } while (next(','));
        return next(']');
      case '{':
        ++i_;
        if (next('}')) return true;
        do {
          if (!string(scratch) || !next(':') || !skip_value(depth + 1)) return false;
        } while (next(','));
        return next('}');
      default:
        return false;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

pipelines::EvaluationInputs request_inputs(const ServeState& state, const std::string& source,
                                           std::size_t n) {
  pipelines::EvaluationInputs inputs;
  inputs.predictions_path = source;
  inputs.predictions_format = "json";
  inputs.predictions_records = n;
  inputs.references_path = source;
  inputs.references_format = "json";
  inputs.references_records = n;
  inputs.paired_by = "id";
  inputs.missing_policy = "error";
  inputs.coco_clean = state.options.scoring.coco_clean;
  inputs.seed_clean = state.options.scoring.seed_clean;
  inputs.command_line = "rrg serve";
  return inputs;
}

}  // namespace

void handle_health(const ServeState& state, httplib::Response& response) {
  nlohmann::ordered_json body;
  body["status"] = "ok";
  body["version"] = version();
  body["generation"] = state.options.generation;
  body["labeler"] = state.labelers.empty()
                        ? nlohmann::ordered_json()
                        : nlohmann::ordered_json(state.labelers.any().identity());
  // The image encoder: its identity and hints threshold, or null.
  body["encoder"] = state.encoder
                        ? nlohmann::ordered_json{{"model", state.encoder->identity()},
                                                 {"threshold", state.encoder->options().threshold}}
                        : nlohmann::ordered_json();
  body["max_body_bytes"] = state.options.max_body_bytes;
  body["auth"] = !state.options.token.empty();
  reply_json(response, 200, body.dump());
}

void handle_metrics(const ServeState& state, httplib::Response& response) {
  nlohmann::ordered_json scorers = nlohmann::ordered_json::array();
  for (const auto& info : metrics::scorer_infos()) {
    nlohmann::ordered_json entry;
    entry["id"] = info.id;
    entry["family"] = info.family;
    entry["keys"] = info.metric_names;
    entry["description"] = info.description;
    entry["available"] = state.scorers.count(info.id) > 0;
    scorers.push_back(std::move(entry));
  }
  nlohmann::ordered_json body;
  body["scorers"] = std::move(scorers);
  body["groups"] = metrics::metric_group_names();
  body["default"] = state.options.scoring.metrics.empty() ? std::vector<std::string>{"all"}
                                                          : state.options.scoring.metrics;
  reply_json(response, 200, body.dump());
}

void handle_score(ServeState& state, const httplib::Request& request, httplib::Response& response) {
  if (request.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    io::PairedReports paired;
    std::optional<std::vector<std::string>> names;
    if (ScoreBodyReader(request.body).read(paired, names)) {
      const std::size_t n = paired.ids.size();
      const FifoGate::Pass pass(*state.scoring_gate);
      const pipelines::EvaluationResult result =
          score_pairs(state, std::move(paired), names ? *names : state.options.scoring.metrics);
      response.status = 200;
      response.body = pipelines::evaluation_json(result, request_inputs(state, "request", n));
      response.set_header("Content-Type", "application/json");
      return;
    }
  }
  nlohmann::json body = parse_json_body(request);
  if (!body.is_object()) throw RequestError(422, "expected a JSON object {\"pairs\": [...]}");
  nlohmann::json& pairs = member(body, "pairs", body_where);
  if (!pairs.is_array() || pairs.empty()) {
    throw RequestError(422, "\"pairs\": expected a non-empty array of {id, prediction, reference}");
  }
  io::PairedReports paired;
  const std::size_t n = pairs.size();
  paired.ids.reserve(n);
  paired.predictions.reserve(n);
  paired.references.reserve(n);
  paired.prediction_errors.resize(n);
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < n; ++i) {
    const auto where = [i] { return "\"pairs\"[" + std::to_string(i) + "]"; };
    nlohmann::json& pair = pairs[i];
    if (!pair.is_object()) throw RequestError(422, where() + ": expected an object");
    const auto id = pair.find("id");
    paired.ids.push_back(id == pair.end() ? std::to_string(i)
                                          : take_string(*id, [&] { return where() + ".id"; }));
    // (ids was reserved: the views stay valid)
    if (!seen.insert(paired.ids.back()).second) {
      throw RequestError(422, where() + ": duplicate id \"" + paired.ids.back() + "\"");
    }
    paired.predictions.push_back(
        take_string(member(pair, "prediction", where), [&] { return where() + ".prediction"; }));
    nlohmann::json& reference = member(pair, "reference", where);
    std::vector<std::string> references;
    if (reference.is_array()) {
      for (std::size_t k = 0; k < reference.size(); ++k) {
        references.push_back(take_string(
            reference[k], [&] { return where() + ".reference[" + std::to_string(k) + "]"; }));
      }
      if (references.empty()) throw RequestError(422, where() + ".reference: empty array");
    } else {
      references.push_back(take_string(reference, [&] { return where() + ".reference"; }));
    }
    paired.references.push_back(std::move(references));
  }
  const std::vector<std::string> names = metric_names(body, state.options.scoring.metrics);
  const FifoGate::Pass pass(*state.scoring_gate);
  const pipelines::EvaluationResult result = score_pairs(state, std::move(paired), names);
  // (The 64 KB answer moved into the response, not copied as reply_json() would.)
  response.status = 200;
  response.body = pipelines::evaluation_json(result, request_inputs(state, "request", n));
  response.set_header("Content-Type", "application/json");
}

void handle_label(ServeState& state, const httplib::Request& request, httplib::Response& response) {
  if (state.labelers.empty()) {
    throw RequestError(503, "no labeler configured (rrg serve --labeler none)");
  }
  const nlohmann::json body = parse_json_body(request);
  if (!body.is_object()) throw RequestError(422, "expected a JSON object {\"reports\": [...]}");
  const nlohmann::json& reports = member(body, "reports", body_where);
  if (!reports.is_array()) throw RequestError(422, "\"reports\": expected an array of strings");
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    texts.push_back(string_value(reports[i], "\"reports\"[" + std::to_string(i) + "]"));
  }
  std::vector<labelers::LabelResult> results;
  std::string identity;
  {
    const FifoGate::Pass pass(*state.scoring_gate);
    const auto lease = state.labelers.acquire();
    results = lease->get()->label(texts);
    identity = lease->get()->identity();
  }
  nlohmann::ordered_json out;
  out["labeler"] = identity;
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < chexpert::kNumObservations; ++k) {
    names.push_back(std::string(chexpert::kObservationNames[k]));
  }
  out["observations"] = std::move(names);
  nlohmann::ordered_json labels = nlohmann::ordered_json::array();
  for (const auto& result : results) {
    nlohmann::ordered_json entry;
    entry["labels"] = chexpert::label_row_to_json(result.labels);
    if (!result.error.empty()) entry["error"] = result.error;
    labels.push_back(std::move(entry));
  }
  out["labels"] = std::move(labels);
  reply_json(response, 200, out.dump());
}

void handle_report(ServeState& state, const httplib::Request& request,
                   httplib::Response& response) {
  if (!request.is_multipart_form_data()) {
    throw RequestError(415,
                       "send multipart/form-data with files \"predictions\" and \"references\"");
  }
  if (!request.has_file("predictions") || !request.has_file("references")) {
    throw RequestError(422, "multipart fields \"predictions\" and \"references\" are required");
  }
  const auto predictions = request.get_file_value("predictions");
  const auto references = request.get_file_value("references");
  // File names only guide format detection and name the files in messages; nothing is opened.
  const std::string pred_name = predictions.filename.empty() ? "predictions" : predictions.filename;
  const std::string ref_name = references.filename.empty() ? "references" : references.filename;
  io::ReportFile pred_file = io::parse_report_file(pred_name, predictions.content);
  io::ReportFile ref_file = io::parse_report_file(ref_name, references.content);
  pipelines::EvaluationInputs inputs = request_inputs(state, pred_name, pred_file.records.size());
  inputs.references_path = ref_name;
  inputs.references_records = ref_file.records.size();
  inputs.predictions_format = std::string(io::report_format_name(pred_file.format));
  inputs.references_format = std::string(io::report_format_name(ref_file.format));
  io::PairedReports paired =
      io::pair_reports(std::move(pred_file), std::move(ref_file), io::MissingPolicy::kError);
  inputs.paired_by = paired.paired_by_position ? "position" : "id";
  pipelines::ReportTexts texts = pipelines::copy_report_texts(paired);
  const pipelines::EvaluationResult result =
      score_pairs(state, std::move(paired), state.options.scoring.metrics);
  std::string html;
  pipelines::write_evaluation_report(result, inputs, std::move(texts), report::HtmlReportOptions{},
                                     [&html](std::string_view part) { html.append(part); });
  response.status = 200;
  response.set_content(html, "text/html; charset=utf-8");
}

}  // namespace rrg::serve
