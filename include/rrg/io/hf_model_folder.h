// A Hugging Face model folder as `save_pretrained` (or a hub download) leaves it on disk, for the
// BERT-family encoders rrg runs natively (BERTScore; RadGraph next):
//
//   config.json                     model_type bert | distilbert | roberta (and cxr-bert, a BERT)
//   model.safetensors               weights (preferred), or
//   pytorch_model.bin               weights as a torch.save file
//   vocab.txt                       WordPiece vocabulary (bert, distilbert), or
//   vocab.json + merges.txt         byte-level BPE (roberta)
//   tokenizer_config.json           optional: do_lower_case, strip_accents,
//                                   tokenize_chinese_chars, model_max_length
//
// Torch-free, so both rrg's front ends and the libtorch module (which compiles this file too)
// read the folder the same way. Sizes missing from config.json take the defaults of the
// transformers config class of that model type (BertConfig, RobertaConfig, DistilBertConfig).
#pragma once

#include <string>

namespace rrg::io {

enum class HfArchitecture { kBert, kDistilBert, kRoberta };

// "bert", "distilbert" or "roberta".
const char* architecture_name(HfArchitecture architecture);

struct HfEncoderConfig {
  std::string model_type;  // as written in config.json
  HfArchitecture architecture = HfArchitecture::kBert;
  int hidden_size = 768;
  int num_layers = 12;
  int num_heads = 12;
  int intermediate_size = 3072;
  int vocab_size = 30522;
  int max_position_embeddings = 512;
  int type_vocab_size = 2;  // 0 for DistilBERT (no token-type embeddings)
  double layer_norm_eps = 1e-12;
  int pad_token_id = 0;
  std::string hidden_act = "gelu";  // gelu (erf), gelu_new / gelu_pytorch_tanh (tanh), relu
  std::string name_or_path;         // "_name_or_path" when present (e.g. "roberta-large")
};

struct HfTokenizerConfig {
  // BertTokenizer options; -1 = not in tokenizer_config.json (the tokenizer class's default).
  int do_lower_case = -1;
  int strip_accents = -1;
  int tokenize_chinese_chars = -1;
  // model_max_length, or 0 when absent (or HF's "very large" placeholder for "no limit").
  long long model_max_length = 0;
};

struct HfModelFolder {
  std::string dir;
  std::string config_path;
  HfEncoderConfig config;
  std::string weights_path;    // model.safetensors, else pytorch_model.bin
  std::string weights_format;  // "safetensors" or "torch"
  // Tokenizer files: vocab_txt for WordPiece, vocab_json + merges_txt for BPE.
  std::string vocab_txt, vocab_json, merges_txt;
  HfTokenizerConfig tokenizer;
};

// Reads config.json (and tokenizer_config.json when present) and finds the weight and tokenizer
// files. Throws rrg::InputError naming the folder or file when the folder or config.json is
// missing or invalid, the model type is not one rrg runs, the weights are absent, or the
// tokenizer files the architecture needs are missing.
HfModelFolder read_hf_model_folder(const std::string& dir);

// Only config.json (and the weights' location); for the libtorch module, which needs no
// tokenizer files.
HfModelFolder read_hf_model_config(const std::string& dir);

}  // namespace rrg::io
