// `rrg annotate` (see annotate.h): resolves flags, builds the labeler from the registry, labels
// every report once per distinct text and writes JSONL or CheXbert-style CSV atomically.
#include "annotate.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "chexbert_flags.h"
#include "cli_common.h"
#include "interrupt_watcher.h"
#include "llm_flags.h"
#include "progress_bar.h"
#include "rrg/chexpert/label_io.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/journal.h"
#include "rrg/io/report_file.h"
#include "rrg/labelers/registry.h"
#include "rrg/pipelines/annotate.h"

namespace rrg::cli {
namespace {

struct AnnotateFlags {
  std::string labeler = "rules";
  std::string input;
  std::string input_format = "auto";
  std::string output;
  std::string output_format = "auto";
  bool csv_ids = false;
  std::string rules_dir;
  bool quiet = false;
  labelers::LlmLabelerOptions llm;
  labelers::ChexbertOptions chexbert;
};

std::string resolve_output_format(const AnnotateFlags& flags) {
  if (flags.output_format != "auto") return flags.output_format;
  const std::string& out = flags.output;
  if (out.size() >= 4 && out.compare(out.size() - 4, 4, ".csv") == 0) return "csv";
  return "jsonl";
}

// --labeler llm writes through a crash-safe journal (docs/llm.md, "Resume"): records are appended
// as answers arrive (to --out itself for JSONL, to OUT.partial.jsonl for CSV), a re-run skips
// finished ids and retries failed ones, and once every report is done the output is rewritten in
// input order, so it matches the rules labeler's layout.
void run_annotate_llm(const AnnotateFlags& flags, const io::ReportFile& reports,
                      labelers::LlmLabeler& labeler, const std::string& out_format) {
  const bool csv = out_format == "csv";
  const std::string journal_path = csv ? flags.output + ".partial.jsonl" : flags.output;
  std::vector<std::pair<std::string, std::string>> items;
  items.reserve(reports.records.size());
  for (const auto& record : reports.records) items.emplace_back(record.id, record.texts.front());

  labelers::JournalLabelStats stats;
  {
    io::Journal journal(journal_path);
    if (!journal.resume_info().message.empty()) {
      std::cerr << "rrg annotate: " << journal.resume_info().message << "\n";
    }
    InterruptWatcher watcher([&labeler] { labeler.cancel(); });
    std::unique_ptr<ProgressBar> bar;
    if (!flags.quiet) {
      ProgressBarOptions bar_options;
      bar_options.label = "annotate";
      bar_options.tty = stderr_is_tty();
      bar = std::make_unique<ProgressBar>(bar_options, [&labeler] {
        const auto p = labeler.progress();
        return ProgressCounts{p.done, p.total, p.request_errors + p.parse_errors, p.retries,
                              p.from_cache};
      });
    }
    stats = labeler.label_into(items, journal);
    if (bar) bar->finish();
    journal.close();
    if (watcher.interrupted()) {
      throw std::runtime_error("annotate: interrupted; " + journal_path + " holds " +
                               std::to_string(journal.size()) +
                               " finished records; run the same command again to resume");
    }
  }

  // Every id is in the journal now: rewrite it in input order (atomically).
  std::unordered_map<std::string, std::string> lines;
  {
    std::ifstream in(journal_path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto record = nlohmann::json::parse(line);
      const auto& id = record["id"];
      lines[id.is_string() ? id.get<std::string>() : id.dump()] = line;
    }
  }
  pipelines::AnnotationResult result;
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
    result.ids.push_back(id);
    result.texts.push_back(text);
    result.labels.push_back(std::move(label));
  }
  if (csv) {
    io::write_file_atomically(flags.output, pipelines::annotation_csv(result, flags.csv_ids));
    if (result.n_errors == 0) std::remove(journal_path.c_str());
  } else {
    io::write_file_atomically(flags.output, jsonl);
  }
  if (!flags.quiet) {
    std::cerr << "rrg annotate: " << labeler.summary() << "\n";
    std::cerr << "rrg annotate: " << result.ids.size() << " reports in " << flags.output << " ("
              << stats.skipped << " from an earlier run) with " << result.labeler_identity;
    if (result.n_errors > 0) {
      std::cerr << "; " << result.n_errors << " could not be labelled (their \"error\" says why; "
                << "run the same command again to retry them)";
    }
    std::cerr << "\n";
  }
}

void run_annotate(const AnnotateFlags& flags) {
  if (flags.input.empty() || flags.output.empty()) {
    throw InputError("annotate needs --in REPORTS and --out LABELS (see `rrg annotate --help`)");
  }
  labelers::LabelerOptions options;
  options.rules_dir = flags.rules_dir;
  options.llm = flags.llm;
  options.chexbert = flags.chexbert;
  use_shared_cache_flags(flags.llm, options.chexbert);
  const io::ReportFormat in_format = io::parse_report_format(flags.input_format);
  const std::string out_format = resolve_output_format(flags);
  std::unique_ptr<labelers::Labeler> labeler = labelers::make_labeler(flags.labeler, options);

  const io::ReportFile reports = io::read_report_file(flags.input, in_format);
  if (auto* llm = dynamic_cast<labelers::LlmLabeler*>(labeler.get());
      llm != nullptr && flags.output != "-") {
    run_annotate_llm(flags, reports, *llm, out_format);
    return;
  }
  const pipelines::AnnotationResult result = pipelines::annotate(reports, *labeler);
  const std::string content = out_format == "csv" ? pipelines::annotation_csv(result, flags.csv_ids)
                                                  : pipelines::annotation_jsonl(result);
  if (flags.output == "-") {
    std::cout << content;
  } else {
    io::write_file_atomically(flags.output, content);
  }
  if (!flags.quiet) {
    double seconds = 0;
    for (const auto& [stage, s] : result.timings_seconds) seconds += s;
    std::cerr << "rrg annotate: labelled " << result.ids.size() << " reports (" << result.n_distinct
              << " distinct texts) with " << result.labeler_identity << " in " << seconds << " s";
    if (result.n_errors > 0) std::cerr << "; " << result.n_errors << " could not be labelled";
    std::cerr << "\n";
    if (auto* chexbert = dynamic_cast<labelers::ChexbertLabeler*>(labeler.get())) {
      std::cerr << "rrg annotate: " << chexbert->summary() << "\n";
    }
  }
}

}  // namespace

void setup_annotate(CLI::App& app) {
  auto flags = std::make_shared<AnnotateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "annotate", "Label reports with the 14 CheXpert observations (1, 0, -1 or blank)");
  cmd->description(
      "Label reports with the 14 CheXpert observations.\n\n"
      "Each report gets 1 (positive), 0 (negative), -1 (uncertain) or blank (not mentioned) for\n"
      "Enlarged Cardiomediastinum, Cardiomegaly, Lung Opacity, Lung Lesion, Edema,\n"
      "Consolidation, Pneumonia, Atelectasis, Pneumothorax, Pleural Effusion, Pleural Other,\n"
      "Fracture, Support Devices and No Finding (CheXbert's labeled_reports.csv convention).\n"
      "Identical texts are labelled once.");
  cmd->add_option("--labeler", flags->labeler,
                  "Labeler: rules (built in, no model needed) or llm (an LLM behind an "
                  "OpenAI-compatible server; see docs/llm.md) or chexbert (CheXbert's "
                  "chexbert.pth; see docs/chexbert.md)")
      ->type_name("NAME")
      ->capture_default_str();
  cmd->add_option("--in", flags->input, "Reports (JSONL, seed JSON, R2Gen JSON, CSV or text)")
      ->type_name("FILE");
  cmd->add_option("--in-format", flags->input_format, "Force the input format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "seed", "r2gen", "csv", "text"}))
      ->capture_default_str();
  cmd->add_option("--out", flags->output,
                  "Labels: JSONL {\"id\", \"labels\"}, or CheXbert's CSV layout when FILE ends in "
                  ".csv ('-' = stdout)")
      ->type_name("FILE");
  cmd->add_option("--out-format", flags->output_format, "Force the output format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "csv"}))
      ->capture_default_str();
  cmd->add_flag("--csv-ids", flags->csv_ids,
                "CSV output: add an \"id\" column before \"Report Impression\"");
  cmd->add_option("--rules-dir", flags->rules_dir,
                  "rules labeler: read phrase and cue lists from DIR instead of the built-in ones")
      ->type_name("DIR");
  cmd->add_flag("-q,--quiet", flags->quiet, "Do not print the summary line on stderr");
  add_llm_labeler_flags(*cmd, flags->llm);
  add_chexbert_labeler_flags(*cmd, flags->chexbert);
  cmd->footer(
      "\nExamples:\n"
      "  rrg annotate --in examples/ref.jsonl --out labels.jsonl\n"
      "  rrg annotate --in reports.csv --out labeled_reports.csv\n"
      "  rrg annotate --labeler llm --base-url http://127.0.0.1:8000/v1 --model Qwen/Qwen3-8B \\\n"
      "      --in reports.jsonl --out labels.jsonl      # resumable; see docs/llm.md\n"
      "  rrg annotate --labeler chexbert --chexbert-checkpoint chexbert.pth --vocab vocab.txt \\\n"
      "      --in reports.jsonl --out labeled_reports.csv    # see docs/chexbert.md\n"
      "\nExit status: 0 success, 1 environment failure, 2 bad usage or input.");
  cmd->callback([flags] { run_annotate(*flags); });
}

}  // namespace rrg::cli
