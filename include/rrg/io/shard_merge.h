// Combining the JSONL outputs of a sharded run (`rrg generate --shard K/N`, one file per shard)
// into one file, and checking it against the ids that were expected.
//
// Records are copied byte for byte; only "id" and "error" are looked at. When an id occurs more
// than once (overlapping shards, or a study retried after a failure), the last record without
// an "error" wins, else the last one; such ids are reported as duplicated. The output follows
// the expected ids' order when they are given (unexpected ids follow in input order), else
// the order of first appearance in the inputs.
//
// A last line without its newline that does not parse is what a killed writer leaves behind:
// it is skipped and counted. Any other malformed line is an InputError naming file and line.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rrg::io {

struct MergeOptions {
  // Shard outputs, in order.
  std::vector<std::string> inputs;
  // Merged JSONL, written atomically; "" = do not write.
  std::string output;
  // Also write the original toolkit's {"test": [{"id", "output"}]} (records with an "error" or
  // without a string "output" are left out); "" = do not write.
  std::string seed_output;
  // Ids that should be present, in order; empty = no completeness check.
  std::vector<std::string> expected_ids;
  // Refuse to write anything when an expected id is missing or only has error records.
  bool require_complete = false;
};

struct MergeReport {
  std::size_t files = 0;
  std::size_t records_read = 0;
  std::size_t records_written = 0;
  std::size_t truncated_lines = 0;      // incomplete last lines skipped
  std::vector<std::string> missing;     // expected, absent from every input
  std::vector<std::string> failed;      // present only with an "error"
  std::vector<std::string> duplicated;  // present more than once
  std::vector<std::string> unexpected;  // present but not expected (only with expected_ids)
};

// Reads, merges and writes. Throws InputError for unreadable or malformed inputs and, with
// require_complete, for missing or failed ids (then nothing is written).
MergeReport merge_shard_outputs(const MergeOptions& options);

}  // namespace rrg::io
