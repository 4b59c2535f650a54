// Reading a Hugging Face model folder (see hf_model_folder.h). Compiled into rrg_io and into the
// libtorch module.
#include "rrg/io/hf_model_folder.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rrg/core/errors.h"

namespace rrg::io {
namespace {

namespace fs = std::filesystem;

// HF writes this for tokenizers without a length limit (int(1e30)).
constexpr double kNoLengthLimit = 1e17;

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  try {
    nlohmann::json j = nlohmann::json::parse(buffer.str());
    if (!j.is_object()) throw InputError(path + ": expected a JSON object");
    return j;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": not valid JSON (" + e.what() + ")");
  }
}

int int_field(const nlohmann::json& j, const char* key, int fallback, const std::string& path) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number_integer() || j[key].get<long long>() < 0 ||
      j[key].get<long long>() > 1 << 30) {
    throw InputError(path + ": \"" + key + "\" must be a non-negative integer, got " +
                     j[key].dump());
  }
  return j[key].get<int>();
}

int flag_field(const nlohmann::json& j, const char* key, const std::string& path) {
  if (!j.contains(key) || j[key].is_null()) return -1;
  if (!j[key].is_boolean()) {
    throw InputError(path + ": \"" + key + "\" must be true, false or null, got " + j[key].dump());
  }
  return j[key].get<bool>() ? 1 : 0;
}

std::string file_in(const std::string& dir, const char* name) {
  const fs::path p = fs::path(dir) / name;
  return fs::is_regular_file(p) ? p.string() : "";
}

HfEncoderConfig parse_config(const nlohmann::json& j, const std::string& path) {
  HfEncoderConfig c;
  if (!j.contains("model_type") || !j["model_type"].is_string()) {
    throw InputError(path +
                     ": no \"model_type\" (expected a Hugging Face config.json of a bert, "
                     "distilbert or roberta model)");
  }
  c.model_type = j["model_type"].get<std::string>();
  if (c.model_type == "bert" || c.model_type == "cxr-bert") {
    c.architecture = HfArchitecture::kBert;
  } else if (c.model_type == "roberta") {
    c.architecture = HfArchitecture::kRoberta;
  } else if (c.model_type == "distilbert") {
    c.architecture = HfArchitecture::kDistilBert;
  } else {
    throw InputError(path + ": model_type \"" + c.model_type +
                     "\" is not supported; rrg runs bert (BERT, PubMedBERT/BiomedBERT, "
                     "CXR-BERT), distilbert and roberta models");
  }
  if (j.contains("_name_or_path") && j["_name_or_path"].is_string()) {
    c.name_or_path = j["_name_or_path"].get<std::string>();
  }
  if (c.architecture == HfArchitecture::kDistilBert) {
    c.hidden_size = int_field(j, "dim", 768, path);
    c.num_layers = int_field(j, "n_layers", 6, path);
    c.num_heads = int_field(j, "n_heads", 12, path);
    c.intermediate_size = int_field(j, "hidden_dim", 3072, path);
    c.type_vocab_size = 0;
    c.layer_norm_eps = 1e-12;  // DistilBERT's LayerNorms are built with eps=1e-12
    if (j.contains("activation") && j["activation"].is_string()) {
      c.hidden_act = j["activation"].get<std::string>();
    }
  } else {
    c.hidden_size = int_field(j, "hidden_size", 768, path);
    c.num_layers = int_field(j, "num_hidden_layers", 12, path);
    c.num_heads = int_field(j, "num_attention_heads", 12, path);
    c.intermediate_size = int_field(j, "intermediate_size", 3072, path);
    c.type_vocab_size = int_field(j, "type_vocab_size", 2, path);
    if (j.contains("layer_norm_eps")) {
      if (!j["layer_norm_eps"].is_number() || j["layer_norm_eps"].get<double>() <= 0) {
        throw InputError(path + ": \"layer_norm_eps\" must be a positive number");
      }
      c.layer_norm_eps = j["layer_norm_eps"].get<double>();
    }
    if (j.contains("hidden_act") && j["hidden_act"].is_string()) {
      c.hidden_act = j["hidden_act"].get<std::string>();
    }
    if (j.contains("position_embedding_type") && j["position_embedding_type"].is_string() &&
        j["position_embedding_type"].get<std::string>() != "absolute") {
      throw InputError(path + ": position_embedding_type \"" +
                       j["position_embedding_type"].get<std::string>() +
                       "\" is not supported (rrg runs absolute position embeddings)");
    }
  }
  c.vocab_size =
      int_field(j, "vocab_size", c.architecture == HfArchitecture::kRoberta ? 50265 : 30522, path);
  c.max_position_embeddings = int_field(j, "max_position_embeddings", 512, path);
  c.pad_token_id =
      int_field(j, "pad_token_id", c.architecture == HfArchitecture::kRoberta ? 1 : 0, path);
  if (c.hidden_act != "gelu" && c.hidden_act != "gelu_new" && c.hidden_act != "gelu_pytorch_tanh" &&
      c.hidden_act != "relu") {
    throw InputError(path + ": activation \"" + c.hidden_act +
                     "\" is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu)");
  }
  if (c.num_heads < 1 || c.hidden_size % c.num_heads != 0) {
    throw InputError(path + ": hidden size " + std::to_string(c.hidden_size) +
                     " is not a multiple of the " + std::to_string(c.num_heads) +
                     " attention heads");
  }
  return c;
}

}  // namespace

const char* architecture_name(HfArchitecture architecture) {
  switch (architecture) {
    case HfArchitecture::kDistilBert:
      return "distilbert";
    case HfArchitecture::kRoberta:
      return "roberta";
    default:
      return "bert";
  }
}

HfModelFolder read_hf_model_config(const std::string& dir) {
  if (dir.empty()) throw InputError("no model folder given");
  if (!fs::is_directory(dir)) {
    throw InputError(dir +
                     ": no such folder (expected a Hugging Face model folder with "
                     "config.json and model.safetensors or pytorch_model.bin)");
  }
  HfModelFolder folder;
  folder.dir = dir;
  folder.config_path = file_in(dir, "config.json");
  if (folder.config_path.empty()) {
    throw InputError(dir + ": no config.json (expected a Hugging Face model folder)");
  }
  folder.config = parse_config(read_json(folder.config_path), folder.config_path);
  folder.weights_path = file_in(dir, "model.safetensors");
  folder.weights_format = "safetensors";
  if (folder.weights_path.empty()) {
    folder.weights_path = file_in(dir, "pytorch_model.bin");
    folder.weights_format = "torch";
  }
  if (folder.weights_path.empty()) {
    throw InputError(dir +
                     ": no model.safetensors or pytorch_model.bin (sharded checkpoints "
                     "are not supported)");
  }
  return folder;
}

HfModelFolder read_hf_model_folder(const std::string& dir) {
  HfModelFolder folder = read_hf_model_config(dir);
  if (folder.config.architecture == HfArchitecture::kRoberta) {
    folder.vocab_json = file_in(dir, "vocab.json");
    folder.merges_txt = file_in(dir, "merges.txt");
    if (folder.vocab_json.empty() || folder.merges_txt.empty()) {
      throw InputError(dir + ": a " + folder.config.model_type +
                       " model needs vocab.json and merges.txt (its byte-level BPE tokenizer)");
    }
  } else {
    folder.vocab_txt = file_in(dir, "vocab.txt");
    if (folder.vocab_txt.empty()) {
      throw InputError(dir + ": a " + folder.config.model_type +
                       " model needs vocab.txt (its WordPiece vocabulary)");
    }
  }
  const std::string tokenizer_config = file_in(dir, "tokenizer_config.json");
  if (!tokenizer_config.empty()) {
    const nlohmann::json j = read_json(tokenizer_config);
    folder.tokenizer.do_lower_case = flag_field(j, "do_lower_case", tokenizer_config);
    folder.tokenizer.strip_accents = flag_field(j, "strip_accents", tokenizer_config);
    folder.tokenizer.tokenize_chinese_chars =
        flag_field(j, "tokenize_chinese_chars", tokenizer_config);
    if (j.contains("model_max_length") && j["model_max_length"].is_number()) {
      const double length = j["model_max_length"].get<double>();
      if (length < 2) {
        throw InputError(tokenizer_config + ": \"model_max_length\" must be at least 2");
      }
      folder.tokenizer.model_max_length =
          length >= kNoLengthLimit ? 0 : static_cast<long long>(length);
    }
  }
  return folder;
}

}  // namespace rrg::io
