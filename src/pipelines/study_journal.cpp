// The output journal of a per-study job (see study_journal.h).
#include "rrg/pipelines/study_journal.h"

#include <filesystem>
#include <stdexcept>

namespace rrg::pipelines {

StudyJournal open_study_journal(const std::string& path, bool overwrite,
                                const std::vector<io::Study>& studies,
                                const std::function<void(const std::string&)>& note) {
  if (overwrite && std::filesystem::exists(path)) {
    // Opening it first refuses a file another rrg process is still writing (the journal is
    // locked) or one that is not a journal at all, before anything is deleted.
    io::Journal(path).close();
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) throw std::runtime_error(path + ": cannot remove (" + ec.message() + ")");
  }
  StudyJournal result;
  result.journal = std::make_unique<io::Journal>(path);
  note(result.journal->resume_info().message);
  for (std::size_t i = 0; i < studies.size(); ++i) {
    if (result.journal->contains(studies[i].id)) {
      ++result.already_done;
    } else {
      result.pending.push_back(i);
    }
  }
  if (result.journal->size() > result.already_done) {
    note(path + " holds " + std::to_string(result.journal->size() - result.already_done) +
         " record(s) for ids outside the selected studies (another --shard, --ids or study "
         "source?); they are kept");
  }
  return result;
}

}  // namespace rrg::pipelines
