// The annotation pipeline (see annotate.h).
#include "rrg/pipelines/annotate.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "rrg/chexpert/label_io.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/csv.h"
#include "rrg/io/journal.h"
#include "rrg/io/json_text.h"
#include "rrg/labelers/label_texts.h"

namespace rrg::pipelines {

namespace {

// Labels the rows of `result` (each distinct text once).
void label_texts(AnnotationResult& result, labelers::Labeler& labeler, std::size_t threads) {
  result.labeler_identity = labeler.identity();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string_view> views;
  views.reserve(result.size());
  for (const auto& record : result.records) views.emplace_back(record.texts.front());
  result.labels = labelers::label_distinct(labeler, views, threads);
  result.timings_seconds.emplace_back(
      "label:" + labeler.name(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  result.n_distinct = result.labels.n_distinct;
  std::vector<std::size_t> rows_of(result.labels.distinct.size(), 0);
  for (const std::uint32_t slot : result.labels.slots) ++rows_of[slot];
  for (std::size_t d = 0; d < rows_of.size(); ++d) {
    if (!result.labels.distinct[d].error.empty()) result.n_errors += rows_of[d];
  }
}

}  // namespace

void AnnotationResult::add_row(std::string id, std::string text, labelers::LabelResult label) {
  io::ReportRecord record;
  record.id = std::move(id);
  record.texts.push_back(std::move(text));
  records.push_back(std::move(record));
  labels.slots.push_back(static_cast<std::uint32_t>(labels.distinct.size()));
  labels.distinct.push_back(std::move(label));
  labels.n_distinct = labels.distinct.size();
}

AnnotationResult annotate(const io::ReportFile& reports, labelers::Labeler& labeler,
                          std::size_t threads) {
  AnnotationResult result;
  result.records.reserve(reports.records.size());
  for (const auto& record : reports.records) {
    io::ReportRecord row;
    row.id = record.id;
    row.texts.push_back(record.texts.front());
    row.line = record.line;
    result.records.push_back(std::move(row));
  }
  label_texts(result, labeler, threads);
  return result;
}

AnnotationResult annotate(io::ReportFile&& reports, labelers::Labeler& labeler,
                          std::size_t threads) {
  AnnotationResult result;
  result.records = std::move(reports.records);
  reports.records.clear();
  label_texts(result, labeler, threads);
  return result;
}

ResumableAnnotation annotate_resumable(const io::ReportFile& reports, labelers::Labeler& labeler,
                                       const std::string& output, bool csv, bool csv_ids,
                                       const std::function<void(const std::string&)>& on_message) {
  labelers::JournalingLabeler* journaling = labeler.journaling();
  if (journaling == nullptr) {
    throw std::invalid_argument("annotate_resumable: labeler '" + labeler.name() +
                                "' does not journal its answers");
  }
  const std::string journal_path = csv ? output + ".partial.jsonl" : output;
  std::vector<std::pair<std::string, std::string>> items;
  items.reserve(reports.records.size());
  for (const auto& record : reports.records) items.emplace_back(record.id, record.texts.front());

  ResumableAnnotation out;
  {
    io::Journal journal(journal_path);
    if (!journal.resume_info().message.empty() && on_message) {
      on_message(journal.resume_info().message);
    }
    const labelers::JournalLabelStats stats = journaling->label_into(items, journal);
    out.from_earlier_run = stats.skipped;
    journal.close();
    if (labeler.job() != nullptr && labeler.job()->cancel_requested()) {
      throw std::runtime_error("annotate: interrupted; " + journal_path + " holds " +
                               std::to_string(journal.size()) +
                               " finished records; run the same command again to resume");
    }
  }

  // Every id is in the journal now: rewrite it in input order (atomically).
  std::unordered_map<std::string, std::string> lines;
  for (auto& [id, line] : io::read_journal_records(journal_path)) lines[id] = std::move(line);
  AnnotationResult& result = out.result;
  result.labeler_identity = labeler.identity();
  std::string jsonl;
  for (const auto& [id, text] : items) {
    const auto it = lines.find(id);
    if (it == lines.end()) throw std::runtime_error(journal_path + ": no record for id " + id);
    jsonl += it->second + "\n";
    const auto record = nlohmann::json::parse(it->second);
    labelers::LabelResult label;
    label.labels = chexpert::label_row_from_json(record["labels"], journal_path + ": " + id);
    if (record.contains("error") && record["error"].is_string()) {
      label.error = record["error"].get<std::string>();
      ++result.n_errors;
    }
    result.add_row(id, text, std::move(label));
  }
  if (csv) {
    io::write_file_atomically(output, annotation_csv(result, csv_ids));
    if (result.n_errors == 0) std::remove(journal_path.c_str());
  } else {
    io::write_file_atomically(output, jsonl);
  }
  return out;
}

AgreementRun agreement_with_gold(const AnnotationResult& result, const chexpert::LabelFile& gold) {
  AgreementRun out;
  out.gold_rows = gold.rows.size();
  std::vector<chexpert::LabelRow> gold_rows, labelled_rows;
  const auto add = [&](std::size_t labelled, std::size_t gold_index) {
    if (!result.label(labelled).error.empty()) {
      ++out.failed_skipped;
      return;
    }
    labelled_rows.push_back(result.label(labelled).labels);
    gold_rows.push_back(gold.rows[gold_index]);
  };
  if (gold.has_ids) {
    std::unordered_map<std::string, std::size_t> labelled_index;
    for (std::size_t i = 0; i < result.size(); ++i) labelled_index.emplace(result.id(i), i);
    std::size_t matched = 0;
    for (std::size_t g = 0; g < gold.ids.size(); ++g) {
      const auto it = labelled_index.find(gold.ids[g]);
      if (it == labelled_index.end()) {
        ++out.gold_only;
        continue;
      }
      ++matched;
      add(it->second, g);
    }
    out.labelled_only = result.size() - matched;
    if (matched == 0) {
      throw InputError(gold.path + ": none of its " + std::to_string(gold.ids.size()) +
                       " ids is among the labelled reports (first: \"" +
                       (gold.ids.empty() ? std::string() : gold.ids.front()) +
                       "\"); the gold file must label the same reports, by id");
    }
  } else {
    out.by_position = true;
    if (gold.rows.size() != result.size()) {
      throw InputError(gold.path +
                       " has no id column, so its rows pair with the reports by "
                       "position, but it has " +
                       std::to_string(gold.rows.size()) + " rows for " +
                       std::to_string(result.size()) +
                       " reports; add ids (rrg annotate --csv-ids) or give the same reports");
    }
    for (std::size_t i = 0; i < gold.rows.size(); ++i) add(i, i);
  }
  out.agreement = chexpert::compare_labels(gold_rows, labelled_rows);
  return out;
}

void write_annotation_jsonl(const AnnotationResult& result,
                            const std::function<void(std::string_view)>& sink,
                            std::size_t block_bytes) {
  // Each line is what nlohmann::ordered_json{{"id", ...}, {"labels", label_row_to_json(...)},
  // {"error", ...}?}.dump() writes (tests/pipelines/annotation_output_test.cpp), assembled from
  // pre-escaped pieces instead of one DOM per row.
  std::array<std::string, chexpert::kNumObservations> keys;
  for (std::size_t k = 0; k < chexpert::kNumObservations; ++k) {
    keys[k] = (k == 0 ? "{" : ",") + io::json_string(chexpert::kObservationNames[k]) + ":";
  }
  const auto value = [](chexpert::Label label) -> std::string_view {
    switch (label) {
      case chexpert::Label::kPositive:
        return "1";
      case chexpert::Label::kNegative:
        return "0";
      case chexpert::Label::kUncertain:
        return "-1";
      case chexpert::Label::kBlank:
        break;
    }
    return "null";
  };
  // The "labels" object of each distinct label row is written once: rows repeat a lot.
  std::unordered_map<std::uint32_t, std::string> objects;
  std::string out;
  out.reserve(block_bytes + 1024);
  for (std::size_t i = 0; i < result.size(); ++i) {
    out += "{\"id\":";
    io::append_json_string(result.id(i), out);
    out += ",\"labels\":";
    const labelers::LabelResult& label = result.label(i);
    const auto& labels = label.labels;
    std::uint32_t code = 0;  // two bits per observation: label + 1 (-1..2 -> 0..3)
    for (std::size_t k = 0; k < chexpert::kNumObservations; ++k) {
      code |= static_cast<std::uint32_t>(static_cast<int>(labels[k]) + 1) << (2 * k);
    }
    auto [object, inserted] = objects.try_emplace(code);
    if (inserted) {
      for (std::size_t k = 0; k < chexpert::kNumObservations; ++k) {
        object->second += keys[k];
        object->second += value(labels[k]);
      }
      object->second += '}';
    }
    out += object->second;
    if (!label.error.empty()) {
      out += ",\"error\":";
      io::append_json_string(label.error, out);
    }
    out += "}\n";
    if (out.size() >= block_bytes) {
      sink(out);
      out.clear();
    }
  }
  if (!out.empty()) sink(out);
}

std::string annotation_jsonl(const AnnotationResult& result) {
  std::string out;
  out.reserve(result.size() * 384);
  write_annotation_jsonl(result, [&out](std::string_view block) { out += block; });
  return out;
}

std::string annotation_csv(const AnnotationResult& result, bool with_ids) {
  std::string out;
  std::vector<std::string> row = chexpert::chexbert_csv_header();
  if (with_ids) row.insert(row.begin(), "id");
  io::append_csv_row(row, out);
  for (std::size_t i = 0; i < result.size(); ++i) {
    row.clear();
    if (with_ids) row.push_back(result.id(i));
    row.push_back(result.text(i));
    for (const auto label : result.label(i).labels) {
      row.emplace_back(chexpert::label_csv_cell(label));
    }
    io::append_csv_row(row, out);
  }
  return out;
}

}  // namespace rrg::pipelines
