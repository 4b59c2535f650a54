// Writers for evaluation results (see evaluation_output.h).
#include "rrg/pipelines/evaluation_output.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rrg/chexpert/label_io.h"
#include "rrg/core/errors.h"
#include "rrg/core/version.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/csv.h"
#include "rrg/io/json_text.h"
#include "rrg/io/xlsx_writer.h"
#include "rrg/metrics/clinical/clinical.h"

namespace rrg::pipelines {
namespace {

using ordered_json = nlohmann::ordered_json;

// Large outputs go to their sink in blocks of about this size.
constexpr std::size_t kSinkBlockBytes = 1 << 20;

std::string fixed4(double value) {
  if (std::isnan(value)) return "N/A";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

// Shortest text that reads back as the same double (std::to_chars); "" = N/A (NaN).
std::string full_precision(double value) {
  if (std::isnan(value)) return "";
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

// Shortest round-trip decimal form of a double (std::to_chars), "null" for N/A (NaN).
void append_json_number(double value, std::string& out) {
  if (std::isnan(value) || std::isinf(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

ordered_json json_value(double v) {
  return std::isnan(v) ? ordered_json(nullptr) : ordered_json(v);
}

ordered_json inputs_json(const EvaluationInputs& inputs) {
  ordered_json j;
  j["predictions"] = {{"path", inputs.predictions_path},
                      {"format", inputs.predictions_format},
                      {"records", inputs.predictions_records}};
  j["references"] = {{"path", inputs.references_path},
                     {"format", inputs.references_format},
                     {"records", inputs.references_records}};
  j["paired_by"] = inputs.paired_by;
  j["missing_policy"] = inputs.missing_policy;
  j["missing_predictions"] = inputs.missing_predictions;
  j["missing_references"] = inputs.missing_references;
  j["coco_clean"] = inputs.coco_clean;
  j["seed_clean"] = inputs.seed_clean;
  if (!inputs.command_line.empty()) j["command"] = inputs.command_line;
  return j;
}

const MetricColumn* find_column(const EvaluationResult& result, const std::string& name) {
  for (const auto& m : result.metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

// The averages papers report, as a grid: rows = averaging x observation set, columns =
// precision/recall/F1 under U-zeros and U-ones. Keys left out by --metrics print "-".
std::string clinical_grid(const EvaluationResult& result) {
  std::string out;
  char line[256];
  out += "                 ----------- U-zeros -----------   ----------- U-ones ------------\n";
  std::snprintf(line, sizeof line, "%-16s %9s %9s %9s   %9s %9s %9s\n", "", "precision", "recall",
                "F1", "precision", "recall", "F1");
  out += line;
  const auto cell = [&](std::string key, const char* stat, const char* unc) {
    key.replace(key.find("{stat}"), 6, stat);
    key.replace(key.find("{unc}"), 5, unc);
    const MetricColumn* m = find_column(result, key);
    return m == nullptr ? std::string("-") : fixed4(m->corpus);
  };
  const auto row = [&](const std::string& label, const std::string& key) {
    std::snprintf(line, sizeof line, "%-16s %9s %9s %9s   %9s %9s %9s\n", label.c_str(),
                  cell(key, "precision", "uzeros").c_str(), cell(key, "recall", "uzeros").c_str(),
                  cell(key, "f1", "uzeros").c_str(), cell(key, "precision", "uones").c_str(),
                  cell(key, "recall", "uones").c_str(), cell(key, "f1", "uones").c_str());
    out += line;
  };
  for (const char* set : {"14", "5"}) {
    for (const char* avg : {"micro", "macro", "weighted"}) {
      row(std::string(avg) + " (" + set + ")",
          std::string("chexpert_") + avg + "_{stat}_" + set + "_{unc}");
    }
  }
  row("example-based", "chexpert_example_{stat}_{unc}");
  return out;
}

}  // namespace

std::string format_table(const EvaluationResult& result, const EvaluationInputs& inputs) {
  std::string out;
  out += "rrg evaluate: " + std::to_string(result.n_samples) + " samples (" +
         std::to_string(result.n_valid) + " with a non-empty prediction), paired by " +
         inputs.paired_by + "\n";
  std::size_t width = 6;
  bool any_lexical = false;
  for (const auto& m : result.metrics) {
    if (m.family == "clinical") continue;
    width = std::max(width, m.name.size());
    any_lexical = true;
  }
  const auto pad = [](std::string s, std::size_t w) {
    s.resize(std::max(s.size(), w), ' ');
    return s;
  };
  if (any_lexical) {
    out += "\n" + pad("Family", 8) + pad("Metric", width + 2) + "Value\n";
    std::string last_family;
    for (const auto& m : result.metrics) {
      if (m.family == "clinical") continue;
      const bool first_of_family = m.family != last_family;
      out += pad(first_of_family ? m.family : "", 8) + pad(m.name, width + 2) + fixed4(m.corpus) +
             "\n";
      last_family = m.family;
    }
  }
  if (result.clinical) {
    const ClinicalDetails& c = *result.clinical;
    out += "\nClinical: CheXpert observations by labeler " + c.labeler_identity + ", " +
           std::to_string(result.n_samples - c.n_excluded) + " ids";
    if (c.n_excluded > 0) {
      out += " (" + std::to_string(c.n_excluded) + " left out: a side could not be labelled)";
    }
    out += ", clean:" + std::string(inputs.seed_clean ? "seed" : "none") + "\n";
    if (!c.labeler_note.empty()) out += "Note: " + c.labeler_note + ".\n";
    out += clinical_grid(result);
    out += "\nPer observation (U-zeros: only 1 is positive; N/A: the references hold one class):\n";
    out += metrics::format_clinical_table(c.table);
  }
  out += "\nSignatures:\n";
  for (const auto& m : result.metrics) {
    if (m.family != "clinical") out += "  " + m.signature.format() + "\n";
  }
  if (result.clinical) {
    const MetricColumn* example = find_column(result, "chexpert_micro_f1_14_uzeros");
    for (const auto& m : result.metrics) {
      if (example == nullptr && m.family == "clinical" && m.has_corpus) example = &m;
    }
    if (example != nullptr) {
      out += "  " + example->signature.format() + "  (every chexpert_* key is signed in --json)\n";
    }
  }
  return out;
}

namespace {

// The "per_sample" member's value (after its key): one line per id, appended to `block`, which
// goes to `sink` (when there is one) each time it reaches kSinkBlockBytes.
void write_per_sample(const EvaluationResult& result, std::string& block, const TextSink* sink) {
  // per_sample can hold millions of ids: one line per id, streamed to the sink in blocks (an
  // ordered_json object looks keys up linearly, and one string would double the peak memory).
  std::vector<std::string> quoted_names;
  std::vector<const MetricColumn*> columns;
  for (const auto& m : result.metrics) {
    if (m.per_sample.empty()) continue;
    columns.push_back(&m);
    quoted_names.push_back(io::json_string(m.name) + ": ");
  }
  block += "{";
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    block += i == 0 ? "\n    " : ",\n    ";
    io::append_json_string(result.ids[i], block);
    block += ": {";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) block += ", ";
      block += quoted_names[c];
      append_json_number(columns[c]->per_sample[i], block);
    }
    if (result.clinical && !result.clinical->errors[i].empty()) {
      block += columns.empty() ? "\"clinical_error\": " : ", \"clinical_error\": ";
      io::append_json_string(result.clinical->errors[i], block);
    }
    block += "}";
    if (sink != nullptr && block.size() >= kSinkBlockBytes) {
      (*sink)(block);
      block.clear();
    }
  }
  block += result.ids.empty() ? "}" : "\n  }";
}

// The document as an ordered_json DOM dumped with indent 2, per_sample spliced in (what
// write_evaluation_json() writes for results whose keys collide).
void write_evaluation_json_dom(const EvaluationResult& result, const EvaluationInputs& inputs,
                               const TextSink& sink) {
  ordered_json doc;
  ordered_json corpus = ordered_json::object();
  ordered_json signatures = ordered_json::object();
  ordered_json fields = ordered_json::object();
  for (const auto& m : result.metrics) {
    if (m.has_corpus) corpus[m.name] = json_value(m.corpus);
    signatures[m.name] = m.signature.format();
    ordered_json f = ordered_json::object();
    f["family"] = m.family;
    for (const auto& [key, value] : m.signature.fields()) f[key] = value;
    f["version"] = rrg::version();
    fields[m.name] = f;
  }
  ordered_json timings = ordered_json::object();
  for (const auto& [stage, seconds] : result.timings_seconds) timings[stage] = seconds;

  doc["corpus"] = std::move(corpus);
  doc["per_sample"] = nullptr;  // placeholder, written below without a DOM
  doc["signatures"] = std::move(signatures);
  doc["signature_fields"] = std::move(fields);
  doc["n_samples"] = result.n_samples;
  doc["n_valid"] = result.n_valid;
  doc["timings_seconds"] = std::move(timings);
  doc["inputs"] = inputs_json(inputs);
  if (result.clinical) {
    doc["clinical"] = {{"labeler", result.clinical->labeler_identity},
                       {"n_distinct_texts", result.clinical->n_distinct_texts},
                       {"n_excluded", result.clinical->n_excluded}};
    if (!result.clinical->labeler_note.empty()) {
      doc["clinical"]["note"] = result.clinical->labeler_note;
    }
  }
  doc["rrg"] = {{"version", rrg::version()}, {"revision", rrg::git_revision()}};
  const std::string text = doc.dump(2);
  const std::string placeholder = "\"per_sample\": null";
  const std::size_t split = text.find(placeholder);
  sink(std::string_view(text).substr(0, split));
  std::string per_sample = "\"per_sample\": ";
  write_per_sample(result, per_sample, &sink);
  sink(per_sample);
  sink(std::string_view(text).substr(split + placeholder.size()));
  sink("\n");
}

// A double as nlohmann's dump() writes it: its Grisu2 shortest form ("1.0" for integers), null
// for NaN and infinities.
void append_dump_number(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  std::array<char, 64> buffer{};
  const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

// One JSON object laid out as dump(2) lays it out at nesting depth `indent` (in spaces): "{}"
// when empty, else each member on its own line indented by indent + 2, the closing brace by
// indent.
class JsonObjectWriter {
 public:
  JsonObjectWriter(std::string& out, std::size_t indent) : out_(out), indent_(indent) {
    out_ += '{';
  }
  void key(std::string_view name) {
    out_ += empty_ ? "\n" : ",\n";
    empty_ = false;
    out_.append(indent_ + 2, ' ');
    io::append_json_string(name, out_);
    out_ += ": ";
  }
  void string_member(std::string_view name, std::string_view value) {
    key(name);
    io::append_json_string(value, out_);
  }
  void number_member(std::string_view name, std::size_t value) {
    key(name);
    out_ += std::to_string(value);
  }
  // The object has members already (written by someone else, e.g. from a cache).
  void mark_not_empty() { empty_ = false; }
  void close() {
    if (!empty_) {
      out_ += '\n';
      out_.append(indent_, ' ');
    }
    out_ += '}';
  }

 private:
  std::string& out_;
  std::size_t indent_;
  bool empty_ = true;
};

// True when no two stages of "timings_seconds" have one name.
bool unique_stages(const EvaluationResult& result) {
  std::vector<std::string_view> stages;
  stages.reserve(result.timings_seconds.size());
  for (const auto& timing : result.timings_seconds) stages.push_back(timing.first);
  std::sort(stages.begin(), stages.end());
  return std::adjacent_find(stages.begin(), stages.end()) == stages.end();
}

// True when no object of the document would have repeated keys, so writing members in order
// gives what the ordered_json document held (it kept a repeated key's first position and last
// value). The signature fields' "version" is replaced by rrg's version, written last.
bool unique_json_keys(const EvaluationResult& result) {
  std::vector<std::string_view> names;
  names.reserve(result.metrics.size());
  for (const auto& m : result.metrics) {
    names.push_back(m.name);
    const auto& fields = m.signature.fields();
    for (std::size_t a = 0; a < fields.size(); ++a) {
      const std::string& key = fields[a].first;
      if (key == "family") return false;
      if (key == "version" && a + 1 != fields.size()) return false;
      for (std::size_t b = 0; b < a; ++b) {
        if (fields[b].first == key) return false;
      }
    }
  }
  std::sort(names.begin(), names.end());
  if (std::adjacent_find(names.begin(), names.end()) != names.end()) return false;
  return unique_stages(result);
}

// The "signatures" and "signature_fields" members as last written on this thread, with what
// decided them. A long-lived caller (rrg serve: the same metric list request after request)
// writes most of an answer's bytes from here: comparing the fields (or seeing that a signature is
// a copy of the one remembered) is cheaper than formatting and escaping them again. Only a
// document whose keys were unique is remembered, so a matching one has unique metric names and
// signature fields too.
struct SignatureBlock {
  struct Entry {
    std::string name, family;
    metrics::Signature signature;
  };
  std::vector<Entry> entries;
  std::string text;

  bool matches(const EvaluationResult& result) const {
    if (text.empty() || entries.size() != result.metrics.size()) return false;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const MetricColumn& m = result.metrics[i];
      const Entry& e = entries[i];
      if (e.name != m.name || e.family != m.family) return false;
      if (e.signature.shares(m.signature)) continue;
      if (e.signature.name() != m.signature.name() ||
          e.signature.fields() != m.signature.fields()) {
        return false;
      }
    }
    return true;
  }
  void remember(const EvaluationResult& result, std::string written) {
    entries.clear();
    entries.reserve(result.metrics.size());
    for (const MetricColumn& m : result.metrics) entries.push_back({m.name, m.family, m.signature});
    text = std::move(written);
  }
};

// The document appended to `out`, which goes to `sink` (when there is one) in blocks and at the
// end; without a sink it holds the whole document.
void write_evaluation_json_into(const EvaluationResult& result, const EvaluationInputs& inputs,
                                std::string& out, const TextSink* sink) {
  // Written without a DOM (a /v1/score answer of `rrg serve` has ~130 keys, each with its
  // signature and its fields), byte for byte as the ordered_json document dumped with indent 2.
  thread_local SignatureBlock last_block;
  const bool same_block = last_block.matches(result);
  if (!(same_block ? unique_stages(result) : unique_json_keys(result))) {
    if (sink != nullptr) {
      write_evaluation_json_dom(result, inputs, *sink);
    } else {
      write_evaluation_json_dom(result, inputs, [&out](std::string_view part) { out += part; });
    }
    return;
  }
  JsonObjectWriter doc(out, 0);
  doc.key("corpus");
  {
    JsonObjectWriter corpus(out, 2);
    for (const auto& m : result.metrics) {
      if (!m.has_corpus) continue;
      corpus.key(m.name);
      append_dump_number(m.corpus, out);
    }
    corpus.close();
  }
  doc.key("per_sample");
  write_per_sample(result, out, sink);
  const std::size_t block_start = out.size();
  if (same_block) {
    // doc's next key() would add the same ",\n  " either way: the block started with one.
    out += last_block.text;
    doc.mark_not_empty();
  } else {
    doc.key("signatures");
    {
      JsonObjectWriter signatures(out, 2);
      for (const auto& m : result.metrics) signatures.string_member(m.name, m.signature.format());
      signatures.close();
    }
    doc.key("signature_fields");
    {
      const std::string_view version = rrg::version();
      JsonObjectWriter fields(out, 2);
      for (const auto& m : result.metrics) {
        fields.key(m.name);
        JsonObjectWriter f(out, 4);
        f.string_member("family", m.family);
        for (const auto& [key, value] : m.signature.fields()) {
          if (key != "version") f.string_member(key, value);
        }
        f.string_member("version", version);
        f.close();
      }
      fields.close();
    }
    last_block.remember(result, out.substr(block_start));
  }
  doc.number_member("n_samples", result.n_samples);
  doc.number_member("n_valid", result.n_valid);
  doc.key("timings_seconds");
  {
    JsonObjectWriter timings(out, 2);
    for (const auto& [stage, seconds] : result.timings_seconds) {
      timings.key(stage);
      append_dump_number(seconds, out);
    }
    timings.close();
  }
  doc.key("inputs");
  {
    JsonObjectWriter j(out, 2);
    const auto file = [&](const char* name, const std::string& path, const std::string& format,
                          std::size_t records) {
      j.key(name);
      JsonObjectWriter f(out, 4);
      f.string_member("path", path);
      f.string_member("format", format);
      f.number_member("records", records);
      f.close();
    };
    file("predictions", inputs.predictions_path, inputs.predictions_format,
         inputs.predictions_records);
    file("references", inputs.references_path, inputs.references_format, inputs.references_records);
    j.string_member("paired_by", inputs.paired_by);
    j.string_member("missing_policy", inputs.missing_policy);
    j.number_member("missing_predictions", inputs.missing_predictions);
    j.number_member("missing_references", inputs.missing_references);
    j.string_member("coco_clean", inputs.coco_clean);
    j.key("seed_clean");
    out += inputs.seed_clean ? "true" : "false";
    if (!inputs.command_line.empty()) j.string_member("command", inputs.command_line);
    j.close();
  }
  if (result.clinical) {
    doc.key("clinical");
    JsonObjectWriter c(out, 2);
    c.string_member("labeler", result.clinical->labeler_identity);
    c.number_member("n_distinct_texts", result.clinical->n_distinct_texts);
    c.number_member("n_excluded", result.clinical->n_excluded);
    if (!result.clinical->labeler_note.empty()) {
      c.string_member("note", result.clinical->labeler_note);
    }
    c.close();
  }
  doc.key("rrg");
  {
    JsonObjectWriter r(out, 2);
    r.string_member("version", rrg::version());
    r.string_member("revision", rrg::git_revision());
    r.close();
  }
  doc.close();
  out += '\n';
  if (sink != nullptr) (*sink)(out);
}

}  // namespace

void write_evaluation_json(const EvaluationResult& result, const EvaluationInputs& inputs,
                           const TextSink& sink) {
  std::string out;
  out.reserve(1024 + 640 * result.metrics.size());  // names, signatures and fields
  write_evaluation_json_into(result, inputs, out, &sink);
}

std::string evaluation_json(const EvaluationResult& result, const EvaluationInputs& inputs) {
  // About what the document takes (one signature and its fields per key, a value per key and
  // id), so the pieces are appended without regrowing; at most 64 MB up front. Written straight
  // into the string, not through a sink's copies.
  const std::size_t estimate =
      2048 + result.metrics.size() * (700 + 48 * result.ids.size()) + 32 * result.ids.size();
  std::string out;
  out.reserve(std::min<std::size_t>(estimate, std::size_t{64} << 20));
  write_evaluation_json_into(result, inputs, out, nullptr);
  return out;
}

void write_per_sample_csv(const EvaluationResult& result, const TextSink& sink) {
  // Per-sample metrics, then (with a labeler) the labels behind the clinical ones:
  // pred_raw_<obs>/gt_raw_<obs> (1, 0, -1 or blank), pred_<obs>/gt_<obs> (U-zeros 1/0),
  // n_agree, n_disagree and why an id was left out.
  std::vector<const MetricColumn*> columns;
  for (const auto& m : result.metrics) {
    if (!m.per_sample.empty() && m.name != "n_agree" && m.name != "n_disagree") {
      columns.push_back(&m);
    }
  }
  const ClinicalDetails* clinical = result.clinical ? &*result.clinical : nullptr;
  const MetricColumn* agree = find_column(result, "n_agree");
  const MetricColumn* disagree = find_column(result, "n_disagree");

  std::string out;
  std::vector<std::string> header{"id"};
  for (const auto* m : columns) header.push_back(m->name);
  if (clinical != nullptr) {
    for (const char* prefix : {"pred_raw_", "gt_raw_", "pred_", "gt_"}) {
      for (std::size_t o = 0; o < chexpert::kNumObservations; ++o) {
        header.push_back(prefix + chexpert::observation_slug(o));
      }
    }
  }
  if (agree != nullptr) header.push_back("n_agree");
  if (disagree != nullptr) header.push_back("n_disagree");
  if (clinical != nullptr) header.push_back("clinical_error");
  io::append_csv_row(header, out);

  std::vector<std::string> row;
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    row.clear();
    row.push_back(result.ids[i]);
    for (const auto* m : columns) row.push_back(full_precision(m->per_sample[i]));
    if (clinical != nullptr) {
      for (const auto* labels : {&clinical->predictions, &clinical->references}) {
        for (const auto label : (*labels)[i]) row.emplace_back(chexpert::label_text(label));
      }
      for (const auto* labels : {&clinical->predictions, &clinical->references}) {
        for (const auto b : metrics::binarize((*labels)[i], metrics::UncertainPolicy::kZeros)) {
          row.push_back(b != 0 ? "1" : "0");
        }
      }
    }
    if (agree != nullptr) row.push_back(full_precision(agree->per_sample[i]));
    if (disagree != nullptr) row.push_back(full_precision(disagree->per_sample[i]));
    if (clinical != nullptr) row.push_back(clinical->errors[i]);
    io::append_csv_row(row, out);
    if (out.size() >= kSinkBlockBytes) {
      sink(out);
      out.clear();
    }
  }
  sink(out);
}

std::string per_sample_csv(const EvaluationResult& result) {
  std::string out;
  write_per_sample_csv(result, [&out](std::string_view part) { out += part; });
  return out;
}

std::vector<std::string> write_out_dir(const EvaluationResult& result,
                                       const EvaluationInputs& inputs, const std::string& dir,
                                       const std::string& prefix) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir + ": cannot create output directory (" + ec.message() + ")");
  const std::string base = dir + "/" + prefix;
  const std::vector<std::string> paths = {base + "_metrics.json", base + "_per_sample.csv",
                                          base + "_metrics.xlsx"};
  for (int k = 0; k < 2; ++k) {
    io::AtomicFile file(paths[k]);
    const TextSink sink = [&file](std::string_view part) { file.write(part); };
    if (k == 0) {
      write_evaluation_json(result, inputs, sink);
    } else {
      write_per_sample_csv(result, sink);
    }
    file.commit();
  }

  io::XlsxSheet summary;
  summary.name = "summary";
  summary.header = {"Family", "Metric", "Value", "Signature"};
  summary.column_widths = {10, 30, 12, 90};
  for (const auto& m : result.metrics) {
    if (!m.has_corpus) continue;
    summary.rows.push_back(
        {m.family, m.name, std::isnan(m.corpus) ? io::XlsxCell{} : m.corpus, m.signature.format()});
  }
  std::vector<io::XlsxSheet> sheets{summary};
  if (result.clinical) {
    // The original toolkit's per-observation table (U-zeros).
    const auto optional_cell = [](std::optional<double> v) {
      return v ? io::XlsxCell{*v} : io::XlsxCell{std::string("N/A")};
    };
    const auto& t = result.clinical->table;
    io::XlsxSheet table;
    table.name = "per observation";
    table.header = {"Observation", "AUC", "F1", "Recall", "Specificity", "N_pos", "N_neg"};
    table.column_widths = {28, 10, 10, 10, 12, 8, 8};
    for (const auto& r : t.rows) {
      table.rows.push_back({std::string(r.name()), optional_cell(r.auc), r.f1, r.recall,
                            r.specificity, static_cast<double>(r.n_pos),
                            static_cast<double>(r.n_neg)});
    }
    table.rows.push_back({"Macro (" + std::to_string(t.n_valid) + " valid)",
                          optional_cell(t.macro_auc), optional_cell(t.macro_f1),
                          optional_cell(t.macro_recall), optional_cell(t.macro_specificity)});
    sheets.push_back(std::move(table));
  }

  io::XlsxSheet run;
  run.name = "run info";
  run.header = {"Key", "Value"};
  run.column_widths = {26, 90};
  const auto add = [&](const std::string& key, io::XlsxCell value) {
    run.rows.push_back({key, std::move(value)});
  };
  add("rrg version", std::string(rrg::version()));
  add("rrg revision", std::string(rrg::git_revision()));
  add("predictions", inputs.predictions_path + " (" + inputs.predictions_format + ")");
  add("references", inputs.references_path + " (" + inputs.references_format + ")");
  add("paired by", inputs.paired_by);
  add("missing policy", inputs.missing_policy);
  add("samples", static_cast<double>(result.n_samples));
  add("valid predictions", static_cast<double>(result.n_valid));
  add("missing predictions", static_cast<double>(inputs.missing_predictions));
  add("missing references", static_cast<double>(inputs.missing_references));
  add("coco clean", inputs.coco_clean);
  add("seed clean", std::string(inputs.seed_clean ? "yes" : "no"));
  if (result.clinical) {
    add("labeler", result.clinical->labeler_identity);
    add("labelled distinct texts", static_cast<double>(result.clinical->n_distinct_texts));
    add("ids left out (unlabelled)", static_cast<double>(result.clinical->n_excluded));
  }
  if (!inputs.command_line.empty()) add("command", inputs.command_line);
  sheets.push_back(std::move(run));
  io::write_xlsx(paths[2], sheets);
  return paths;
}

}  // namespace rrg::pipelines
