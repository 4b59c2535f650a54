// What `rrg evaluate` does with files, as one library call: read the predictions and references
// (any input format), pair them by id, score them (evaluate.h) and write the requested outputs
// atomically (evaluation_output.h). `rrg compare` reads and pairs through the same function.
#pragma once

#include <functional>
#include <string>

#include "rrg/io/pairing.h"
#include "rrg/io/report_file.h"
#include "rrg/pipelines/evaluate.h"
#include "rrg/pipelines/evaluation_output.h"
#include "rrg/report/html_report.h"

namespace rrg::pipelines {

struct EvaluateFilesOptions {
  std::string predictions;  // path
  std::string references;   // path
  io::ReportFormat predictions_format = io::ReportFormat::kAuto;
  io::ReportFormat references_format = io::ReportFormat::kAuto;
  io::MissingPolicy missing = io::MissingPolicy::kError;
  // Outputs: --json FILE ("" = none; "-" is the caller's to print), --out-dir DIR with --prefix
  // (empty prefix = the predictions file's stem).
  std::string json_path;
  std::string out_dir;
  std::string prefix;
  // The HTML report (rrg/report/html_report.h): --html FILE ("" = none), and/or
  // <prefix>_report.html in out_dir. Either one makes evaluate_files keep a copy of the texts.
  std::string html_path;
  bool html_in_out_dir = false;
  report::HtmlReportOptions html;
  // Recorded in the outputs ("inputs.command").
  std::string command_line;
  // Receives one-sentence warnings (ids on one side only with --missing skip/empty).
  std::function<void(const std::string&)> on_message;
};

// Reads and pairs the two files, filling the input half of `record` (paths, formats, record
// counts, pairing). Throws rrg::InputError naming the file and record for bad input (the
// predictions' error first when both files are bad). With threads > 1 (0 = every core) the two
// files are parsed at the same time.
io::PairedReports read_paired_reports(const EvaluateFilesOptions& options, EvaluationInputs& record,
                                      std::size_t threads = 1);

struct EvaluationRun {
  EvaluationResult result;
  EvaluationInputs inputs;
};

// Reads, pairs, scores with `scoring` and writes the --json (unless "-"), --out-dir and --html
// outputs, each atomically. A --html path that cannot be written fails before anything is read
// or scored.
EvaluationRun evaluate_files(const EvaluateFilesOptions& options, const EvaluateOptions& scoring);

}  // namespace rrg::pipelines
