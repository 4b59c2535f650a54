// Tiny BERT, DistilBERT and RoBERTa model folders for the BERTScore tests: random weights written
// by tests/torch_module/hf_encoder_reference.py (python3-torch) plus tokenizer files written here
// (a small WordPiece vocab.txt; a byte-level BPE vocab.json + merges.txt with RoBERTa's special
// tokens at their usual ids 0-3).
#pragma once

#include <string>
#include <vector>

namespace rrg::testing {

// Builds the folder of `arch` ("bert", "distilbert" or "roberta") under `dir`; `extra_args` go to
// make-folder. BERT gets tokenizer_config.json {"do_lower_case": true, "model_max_length": 40},
// RoBERTa {"model_max_length": 40}; DistilBERT none (so 512, capped by its 64 positions).
// Fails the calling test (returns false) when python3-torch is unusable.
bool make_bertscore_folder(const std::string& dir, const std::string& arch,
                           const std::vector<std::string>& extra_args = {});

// Points RRG_TORCH_MODULE at the build's librrg_torch.so.
void use_built_torch_module_for_bertscore();

}  // namespace rrg::testing
