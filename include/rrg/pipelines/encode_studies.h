// `rrg generate --encoder-only`: the image encoder's probabilities for every study, without a
// language model, written to the same kind of crash-safe JSONL journal as `rrg generate` (a
// re-run resumes; failed studies are retried). One record per study:
//   {"id", "images": [frontal image used], "probabilities": {name: p, ...},
//    "findings_hints": "...", "encoder": "MODEL@sha256:..."}
// and for a study that failed (unreadable image, no frontal view):
//   {"id", "images": [...], "error": "...", "encoder": "..."}
// "probabilities" lists the named outputs in the labels file's order.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/core/job.h"
#include "rrg/io/datasets/study.h"
#include "rrg/pipelines/image_encoder.h"

namespace rrg::pipelines {

struct EncodeOptions {
  // The JSONL journal (required). An existing file is resumed unless `overwrite`.
  std::string output;
  bool overwrite = false;
  // Threads reading images (the model itself runs one image at a time); 0 = one per CPU.
  int threads = 0;
  // Receives one-sentence notes (resume information, foreign records).
  std::function<void(const std::string&)> on_message;
};

struct EncodeSummary {
  std::size_t studies = 0;       // studies given
  std::size_t already_done = 0;  // finished records already in the output
  std::size_t written = 0;       // records written by this run
  std::size_t failed = 0;        // of which with an error
  bool cancelled = false;
};

// A Job: cancel() stops run() after the images being classified; progress() counts records.
class StudyEncoder final : public Job {
 public:
  StudyEncoder(EncodeOptions options, ImageEncoder& encoder);

  // Writes a record for every study not yet in the output. Study ids must be unique.
  EncodeSummary run(const std::vector<io::Study>& studies);

 private:
  EncodeOptions options_;
  ImageEncoder& encoder_;
};

// Adds the encoder's fields of a record to `record`, in this order: "probabilities" (every named
// output in label order), "findings_hints" and "encoder" (`encoder`: ImageEncoder::identity()).
// The --encoder-only records above and `rrg serve`'s generate records share them.
void add_encoder_fields(nlohmann::ordered_json& record, const EncoderResult& result,
                        const std::string& encoder);

// "encode: 120 record(s) written (3 failed), 40 already done".
std::string format_summary(const EncodeSummary& summary);

}  // namespace rrg::pipelines
