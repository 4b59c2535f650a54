// `rrg merge` (see merge.h): resolves the expected ids (an id list or the same study flags as
// `rrg generate`), merges with io::merge_shard_outputs and prints what is missing.
#include "merge.h"

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/datasets/study_source.h"
#include "rrg/io/shard_merge.h"
#include "study_flags.h"

namespace rrg::cli {
namespace {

struct MergeFlags {
  std::vector<std::string> inputs;
  std::string output;
  std::string seed_output;
  std::string expected;
  std::string missing_ids;
  std::string report;
  bool require_complete = false;
  StudyFlags studies;
};

void run_merge(const MergeFlags& flags) {
  if (flags.output.empty() && flags.seed_output.empty()) {
    throw InputError("merge needs -o FILE (and/or --seed-output FILE)");
  }
  io::MergeOptions options;
  options.inputs = flags.inputs;
  options.output = flags.output;
  options.seed_output = flags.seed_output;
  options.require_complete = flags.require_complete;
  if (!flags.expected.empty() && has_study_source(flags.studies)) {
    throw InputError(
        "give the expected ids either with --expected FILE or with study flags, not both");
  }
  if (!flags.expected.empty()) {
    options.expected_ids = io::read_id_list(flags.expected);
  } else if (has_study_source(flags.studies)) {
    for (const auto& study : load_selected_studies(flags.studies)) {
      options.expected_ids.push_back(study.id);
    }
  } else if (flags.require_complete || !flags.missing_ids.empty()) {
    throw InputError(
        "--require-complete and --missing-ids need the expected ids: --expected FILE or the "
        "study flags of the generate run (e.g. --mimic DIR --split test)");
  }

  const io::MergeReport report = io::merge_shard_outputs(options);

  std::cerr << "rrg merge: " << report.files << " file(s), " << report.records_read
            << " record(s) read, " << report.records_written << " written";
  if (!options.expected_ids.empty())
    std::cerr << ", " << options.expected_ids.size() << " expected";
  std::cerr << "\n";
  const auto warn = [](const std::vector<std::string>& ids, const char* what) {
    if (!ids.empty()) {
      std::cerr << "rrg: warning: " << ids.size() << " id(s) " << what << ": " << sample_list(ids)
                << "\n";
    }
  };
  warn(report.missing, "missing from every input");
  warn(report.failed, "only have error records");
  warn(report.duplicated, "occur more than once (the last successful record was kept)");
  warn(report.unexpected, "are not among the expected ids (kept)");
  if (report.truncated_lines > 0) {
    std::cerr << "rrg: warning: skipped " << report.truncated_lines
              << " incomplete last line(s) left by an interrupted writer\n";
  }

  if (!flags.missing_ids.empty()) {
    std::string text;
    for (const auto& id : report.missing) text += id + "\n";
    for (const auto& id : report.failed) text += id + "\n";
    io::write_file_atomically(flags.missing_ids, text);
  }
  if (!flags.report.empty()) {
    const nlohmann::json doc = {{"files", report.files},
                                {"records_read", report.records_read},
                                {"records_written", report.records_written},
                                {"expected", options.expected_ids.size()},
                                {"truncated_lines", report.truncated_lines},
                                {"missing", report.missing},
                                {"failed", report.failed},
                                {"duplicated", report.duplicated},
                                {"unexpected", report.unexpected}};
    io::write_file_atomically(flags.report, doc.dump(2) + "\n");
  }
}

}  // namespace

void setup_merge(CLI::App& app) {
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* cmd =
      app.add_subcommand("merge", "Combine the outputs of a sharded generate run into one file");
  cmd->description(
      "Combine the JSONL outputs of `rrg generate --shard K/N` runs into one file.\n\n"
      "Records are copied unchanged. An id found more than once keeps its last successful\n"
      "record. With the expected ids (--expected, or the same study flags as the generate run)\n"
      "the output follows their order and missing ids are reported.");
  cmd->add_option("inputs", flags->inputs, "Shard output files (JSONL)")
      ->type_name("FILE")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", flags->output, "Merged JSONL (written atomically)")
      ->type_name("FILE");
  cmd->add_option("--seed-output", flags->seed_output,
                  "Also write the original toolkit's {\"test\": [{\"id\", \"output\"}]} "
                  "(successful records only)")
      ->type_name("FILE");
  cmd->add_option("--expected", flags->expected, "Expected ids, one per line")->type_name("FILE");
  cmd->add_flag("--require-complete", flags->require_complete,
                "Fail (exit 2, nothing written) when an expected id is missing or failed");
  cmd->add_option("--missing-ids", flags->missing_ids,
                  "Write the missing and failed ids to FILE (for `rrg generate --ids FILE`)")
      ->type_name("FILE");
  cmd->add_option("--report", flags->report,
                  "Write the lists of missing/failed/duplicated ids "
                  "as JSON")
      ->type_name("FILE");
  add_study_flags(cmd, flags->studies, /*selection=*/true);
  cmd->footer(
      "\nExamples:\n"
      "  rrg merge -o run.jsonl run.shard-*.jsonl\n"
      "  rrg merge -o run.jsonl --seed-output run_seed.json --mimic /data/mimic-cxr-jpg "
      "--split test run.shard-*.jsonl\n"
      "\nExit status: 0 success (warnings list what is missing), 1 environment failure, 2 bad "
      "usage or input (or incomplete with --require-complete).");
  cmd->callback([flags] { run_merge(*flags); });
}

}  // namespace rrg::cli
