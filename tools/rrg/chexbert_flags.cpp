// The chexbert labeler's flags (see chexbert_flags.h).
#include "chexbert_flags.h"

#include <string>

namespace rrg::cli {

void add_chexbert_labeler_flags(CLI::App& app, labelers::ChexbertOptions& options,
                                const std::string& group) {
  app.add_option("--chexbert-checkpoint", options.checkpoint,
                 "CheXbert's chexbert.pth (torch.save file; see models/README.md); with "
                 "--labeler auto, setting it chooses CheXbert")
      ->type_name("FILE")
      ->envname("RRG_CHEXBERT_CHECKPOINT")
      ->group(group);
  app.add_option("--vocab", options.vocab,
                 "bert-base-uncased vocab.txt, the tokenizer CheXbert was trained with "
                 "(models/get_vocab.sh fetches it)")
      ->type_name("FILE")
      ->envname("RRG_CHEXBERT_VOCAB")
      ->group(group);
  app.add_option("--chexbert-threads", options.threads,
                 "threads for libtorch and OpenBLAS (default: 0 = every core)")
      ->check(CLI::NonNegativeNumber)
      ->group(group);
  app.add_option("--chexbert-batch-size", options.batch_size,
                 "most reports per forward pass; reports are sorted by length first (default: " +
                     std::to_string(options.batch_size) + ")")
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_flag("--chexbert-int8", options.int8,
               "run the encoder in int8 (faster; labels can differ from float32 on a few cells, "
               "see docs/chexbert.md)")
      ->group(group);
}

void use_shared_cache_flags(const labelers::LlmLabelerOptions& llm,
                            labelers::ChexbertOptions& chexbert) {
  chexbert.cache_path = llm.server.cache_path;
  chexbert.no_cache = llm.server.no_cache;
}

}  // namespace rrg::cli
