// `rrg evaluate` on files (see evaluate_files.h).
#include "rrg/pipelines/evaluate_files.h"

#include <exception>
#include <filesystem>
#include <thread>
#include <optional>
#include <utility>

#include "rrg/core/parallel.h"
#include "rrg/io/atomic_file.h"
#include "rrg/pipelines/evaluation_report.h"

namespace rrg::pipelines {
namespace {

// "runs/pred.jsonl" -> "pred".
std::string file_stem(const std::string& path) {
  const std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? "rrg" : stem;
}

}  // namespace

io::PairedReports read_paired_reports(const EvaluateFilesOptions& options, EvaluationInputs& record,
                                      std::size_t threads) {
  io::PairedReports paired;
  {
    // The files' texts move into `paired` (no copy of a large corpus). With two threads the
    // references are parsed on a second thread while this one parses the predictions; both
    // always finish, and the predictions' error comes first, exactly as when read in turn.
    io::ReportFile predictions, references;
    std::exception_ptr references_error;
    const auto read_references = [&] {
      try {
        references = io::read_report_file(options.references, options.references_format);
      } catch (...) {
        references_error = std::current_exception();
      }
    };
    std::thread second;
    if (resolve_threads(threads) > 1) second = std::thread(read_references);
    std::exception_ptr predictions_error;
    try {
      predictions = io::read_report_file(options.predictions, options.predictions_format);
    } catch (...) {
      predictions_error = std::current_exception();
    }
    if (second.joinable()) {
      second.join();
    } else if (!predictions_error) {
      read_references();
    }
    if (predictions_error) std::rethrow_exception(predictions_error);
    if (references_error) std::rethrow_exception(references_error);
    record.predictions_path = options.predictions;
    record.predictions_format = std::string(io::report_format_name(predictions.format));
    record.predictions_records = predictions.records.size();
    record.references_path = options.references;
    record.references_format = std::string(io::report_format_name(references.format));
    record.references_records = references.records.size();
    paired = io::pair_reports(std::move(predictions), std::move(references), options.missing);
  }
  record.paired_by = paired.paired_by_position ? "position" : "id";
  record.missing_policy = std::string(io::missing_policy_name(options.missing));
  record.missing_predictions = paired.missing_predictions;
  record.missing_references = paired.missing_references;
  if (paired.missing_predictions + paired.missing_references > 0 && options.on_message) {
    options.on_message(
        std::to_string(paired.missing_references) + " prediction id(s) without a reference and " +
        std::to_string(paired.missing_predictions) +
        " reference id(s) without a prediction (--missing " + record.missing_policy + ")");
  }
  return paired;
}

EvaluationRun evaluate_files(const EvaluateFilesOptions& options, const EvaluateOptions& scoring) {
  // The report's temporary file is created first: a path that cannot be written stops the run
  // before a long labelling pass, and nothing is left behind.
  std::optional<io::AtomicFile> html_file;
  if (!options.html_path.empty()) html_file.emplace(options.html_path);

  EvaluationRun run;
  io::PairedReports paired = read_paired_reports(options, run.inputs, scoring.threads);
  run.inputs.coco_clean = scoring.coco_clean;
  run.inputs.seed_clean = scoring.seed_clean;
  run.inputs.command_line = options.command_line;
  const bool report =
      html_file.has_value() || (options.html_in_out_dir && !options.out_dir.empty());
  ReportTexts texts;
  if (report) texts = copy_report_texts(paired);
  run.result = evaluate(std::move(paired), scoring);

  if (!options.json_path.empty() && options.json_path != "-") {
    io::AtomicFile file(options.json_path);
    write_evaluation_json(run.result, run.inputs,
                          [&file](std::string_view part) { file.write(part); });
    file.commit();
  }
  if (!options.out_dir.empty()) {
    const std::string prefix =
        options.prefix.empty() ? file_stem(options.predictions) : options.prefix;
    write_out_dir(run.result, run.inputs, options.out_dir, prefix);
  }
  if (report) {
    const report::ReportData data =
        evaluation_report_data(run.result, run.inputs, std::move(texts));
    if (options.html_in_out_dir && !options.out_dir.empty()) {
      const std::string prefix =
          options.prefix.empty() ? file_stem(options.predictions) : options.prefix;
      io::AtomicFile file(options.out_dir + "/" + prefix + "_report.html");
      report::write_html_report(data, options.html,
                                [&file](std::string_view part) { file.write(part); });
      file.commit();
    }
    if (html_file) {
      report::write_html_report(data, options.html,
                                [&html_file](std::string_view part) { html_file->write(part); });
      html_file->commit();
    }
  }
  return run;
}

}  // namespace rrg::pipelines
