// `rrg generate --encoder-only` runs (see encode_studies.h).
#include "rrg/pipelines/encode_studies.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "rrg/core/errors.h"
#include "rrg/io/journal.h"
#include "rrg/pipelines/study_journal.h"

namespace rrg::pipelines {
namespace {

std::string make_record(const io::Study& study, const EncoderResult* result,
                        const std::string& error, const std::string& encoder) {
  nlohmann::ordered_json record;
  record["id"] = study.id;
  nlohmann::ordered_json images = nlohmann::ordered_json::array();
  if (result != nullptr) {
    images.push_back(result->image);
  } else {
    for (const auto& image : study.images) images.push_back(image.path);
  }
  record["images"] = std::move(images);
  if (result != nullptr) {
    add_encoder_fields(record, *result, encoder);
  } else {
    record["error"] = error;
    record["encoder"] = encoder;
  }
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

void add_encoder_fields(nlohmann::ordered_json& record, const EncoderResult& result,
                        const std::string& encoder) {
  nlohmann::ordered_json probabilities = nlohmann::ordered_json::object();
  for (const auto& [name, p] : result.probabilities) probabilities[name] = p;
  record["probabilities"] = std::move(probabilities);
  record["findings_hints"] = result.hints;
  record["encoder"] = encoder;
}

StudyEncoder::StudyEncoder(EncodeOptions options, ImageEncoder& encoder)
    : options_(std::move(options)), encoder_(encoder) {
  if (options_.output.empty()) {
    throw InputError("generate --encoder-only: the output file is required (-o FILE.jsonl)");
  }
}

EncodeSummary StudyEncoder::run(const std::vector<io::Study>& studies) {
  EncodeSummary summary;
  summary.studies = studies.size();
  const auto note = [&](const std::string& text) {
    if (options_.on_message && !text.empty()) options_.on_message(text);
  };
  StudyJournal opened = open_study_journal(options_.output, options_.overwrite, studies, note);
  io::Journal& journal = *opened.journal;
  const std::vector<std::size_t>& pending = opened.pending;
  summary.already_done = opened.already_done;
  start_run(pending.size());

  std::mutex mutex;  // guards the journal, the summary and the first thread failure
  std::exception_ptr failure;
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    while (!cancelled_) {
      const std::size_t slot = next++;
      if (slot >= pending.size()) return;
      const io::Study& study = studies[pending[slot]];
      std::string record;
      bool ok = true;
      try {
        const EncoderResult result = encoder_.encode(study);
        record = make_record(study, &result, "", encoder_.identity());
      } catch (const InputError& e) {
        // The study's own problem (unreadable image, no frontal view): an error record.
        ok = false;
        record = make_record(study, nullptr, e.what(), encoder_.identity());
      } catch (...) {
        // Anything else (libtorch failure, out of memory) stops the run.
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
        cancelled_ = true;
        return;
      }
      std::lock_guard<std::mutex> lock(mutex);
      try {
        journal.append(study.id, record);
      } catch (...) {
        if (!failure) failure = std::current_exception();
        cancelled_ = true;
        return;
      }
      ++summary.written;
      ++done_;
      if (!ok) {
        ++summary.failed;
        ++failed_;
      }
    }
  };
  const int wanted = options_.threads > 0
                         ? options_.threads
                         : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const int count = std::max(1, std::min<int>(wanted, static_cast<int>(pending.size())));
  std::vector<std::thread> workers;
  for (int t = 1; t < count; ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  journal.close();
  if (failure) std::rethrow_exception(failure);
  summary.cancelled = cancelled_ && done_ < total_;
  return summary;
}

std::string format_summary(const EncodeSummary& s) {
  std::string out = "encode: " + std::to_string(s.written) + " record(s) written";
  if (s.failed > 0) out += " (" + std::to_string(s.failed) + " failed)";
  out += ", " + std::to_string(s.already_done) + " already done";
  return out;
}

}  // namespace rrg::pipelines
