// Opening the output journal of a per-study job (`rrg generate`, `rrg generate --encoder-only`)
// and working out which of the selected studies it still has to do.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rrg/io/datasets/study.h"
#include "rrg/io/journal.h"

namespace rrg::pipelines {

struct StudyJournal {
  std::unique_ptr<io::Journal> journal;
  std::vector<std::size_t> pending;  // indices of the studies without a finished record
  std::size_t already_done = 0;      // selected studies the journal already holds
};

// Opens `path` (an existing journal is resumed; with `overwrite` it is removed first, after
// checking that it is a journal no other process holds) and partitions `studies`. `note`
// receives the journal's resume message and, when the file holds records of ids outside the
// selection (another --shard, --ids or study source), a sentence saying they are kept.
StudyJournal open_study_journal(const std::string& path, bool overwrite,
                                const std::vector<io::Study>& studies,
                                const std::function<void(const std::string&)>& note);

}  // namespace rrg::pipelines
