// `rrg annotate` (see annotate.h): resolves flags, builds the labeler from the registry, labels
// every report once per distinct text and writes JSONL or CheXbert-style CSV atomically.
#include "annotate.h"

#include <iostream>
#include <memory>

#include "cli_common.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
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
};

std::string resolve_output_format(const AnnotateFlags& flags) {
  if (flags.output_format != "auto") return flags.output_format;
  const std::string& out = flags.output;
  if (out.size() >= 4 && out.compare(out.size() - 4, 4, ".csv") == 0) return "csv";
  return "jsonl";
}

void run_annotate(const AnnotateFlags& flags) {
  if (flags.input.empty() || flags.output.empty()) {
    throw InputError("annotate needs --in REPORTS and --out LABELS (see `rrg annotate --help`)");
  }
  labelers::LabelerOptions options;
  options.rules_dir = flags.rules_dir;
  const io::ReportFormat in_format = io::parse_report_format(flags.input_format);
  const std::string out_format = resolve_output_format(flags);
  std::unique_ptr<labelers::Labeler> labeler = labelers::make_labeler(flags.labeler, options);

  const io::ReportFile reports = io::read_report_file(flags.input, in_format);
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
  cmd->add_option("--labeler", flags->labeler, "Labeler: rules (built in, no model needed)")
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
  cmd->footer(
      "\nExamples:\n"
      "  rrg annotate --in examples/ref.jsonl --out labels.jsonl\n"
      "  rrg annotate --in reports.csv --out labeled_reports.csv\n"
      "\nExit status: 0 success, 1 environment failure, 2 bad usage or input.");
  cmd->callback([flags] { run_annotate(*flags); });
}

}  // namespace rrg::cli
