// The libtorch model kind "hf_encoder" (src/torch_module/encoders/hf_encoder.cpp) against the
// plain-torch reference tests/torch_module/hf_encoder_reference.py run by Debian's python3-torch:
// BERT, DistilBERT and RoBERTa folders with random weights written by the reference in both
// model.safetensors and pytorch_model.bin layouts (F32, F16, BF16; with and without the
// architecture's state-dict prefix; old gamma/beta names), hidden states of layers 0, 1 and the
// last within 1e-5 on padded batches; the int8 path close to float32; and errors that name the
// file and the tensor.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

constexpr double kTolerance = 1e-5;
constexpr int kHidden = 32;
constexpr int kVocab = 300;
constexpr int kMaxPositions = 64;

std::string reference_script() {
  return source_dir() + "/tests/torch_module/hf_encoder_reference.py";
}

void make_folder(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/python3", reference_script(), "make-folder", dir};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult r = run_command(argv);
  ASSERT_EQ(r.exit_code, 0) << "python3-torch could not write the test model:\n" << r.err;
}

// Sequences of varied length (1 .. max_length), ids in [first_id, kVocab), mixed order.
std::vector<std::vector<long>> sequences(int max_length, long first_id, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<long> token(first_id, kVocab - 1);
  std::vector<std::vector<long>> out;
  for (int n : {max_length, 1, 7, max_length / 2, 2, 13, max_length - 1, 5, 30, 3}) {
    std::vector<long> ids;
    for (int i = 0; i < std::max(1, std::min(n, max_length)); ++i) ids.push_back(token(rng));
    out.push_back(ids);
  }
  return out;
}

std::vector<std::vector<std::vector<double>>> reference_hidden(
    const std::string& dir, const std::vector<std::vector<long>>& seqs, int layer) {
  TempDir tmp;
  write_file(tmp.file("in.json"), nlohmann::json{{"ids", seqs}}.dump());
  const CommandResult r =
      run_command({"/usr/bin/python3", reference_script(), "run", dir, tmp.file("in.json"),
                   tmp.file("out.json"), "--layer", std::to_string(layer)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return {};
  const auto j = nlohmann::json::parse(read_file(tmp.file("out.json")));
  EXPECT_LT(j["batched_max_abs_diff"].get<double>(), kTolerance);
  return j["hidden"].get<std::vector<std::vector<std::vector<double>>>>();
}

// Runs the model on all sequences as one padded batch (padding id `pad`).
std::vector<float> run_batch(TorchModel& model, const std::vector<std::vector<long>>& seqs,
                             long pad, std::int64_t& width, int hidden = kHidden) {
  width = 0;
  for (const auto& s : seqs) width = std::max<std::int64_t>(width, s.size());
  std::vector<std::int64_t> ids(seqs.size() * width, pad), lengths;
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    std::copy(seqs[i].begin(), seqs[i].end(), ids.begin() + i * width);
    lengths.push_back(static_cast<std::int64_t>(seqs[i].size()));
  }
  const auto rows = static_cast<std::int64_t>(seqs.size());
  auto out = model.run({{TorchDtype::kInt64, {rows, width}, ids.data()},
                        {TorchDtype::kInt64, {rows}, lengths.data()}});
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].shape, (std::vector<std::int64_t>{rows, width, hidden}));
  return out[0].data;
}

std::unique_ptr<TorchModel> load(const std::string& dir, int layer, bool int8 = false) {
  return TorchModel::load("hf_encoder", {{"model_dir", dir},
                                         {"layer", std::to_string(layer)},
                                         {"threads", "1"},
                                         {"int8", int8 ? "1" : "0"}});
}

// Largest |rrg - reference| over every real token of every sequence.
double worst_difference(const std::string& dir, int layer, long pad, long first_id,
                        bool int8 = false) {
  const auto seqs = sequences(pad == 1 ? kMaxPositions - 2 : kMaxPositions, first_id, 12);
  const auto want = reference_hidden(dir, seqs, layer);
  if (want.size() != seqs.size()) return 1e9;
  auto model = load(dir, layer, int8);
  std::int64_t width = 0;
  const std::vector<float> got = run_batch(*model, seqs, pad, width);
  double worst = 0;
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    for (std::size_t t = 0; t < seqs[i].size(); ++t) {
      for (int k = 0; k < kHidden; ++k) {
        worst = std::max(worst, std::abs(got[(i * width + t) * kHidden + k] - want[i][t][k]));
      }
    }
  }
  return worst;
}

class HfEncoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv("RRG_TORCH_MODULE", (std::string(RRG_BINARY_DIR) + "/librrg_torch.so").c_str(), 1);
  }
  TempDir tmp_;
};

struct Variant {
  std::string arch;
  std::vector<std::string> args;
};

TEST_F(HfEncoderTest, HiddenStatesMatchPlainTorchWithin1e5) {
  const std::vector<Variant> variants = {
      {"bert", {"--format", "safetensors"}},
      {"bert", {"--format", "bin"}},
      {"roberta", {"--format", "safetensors"}},
      {"roberta", {"--format", "bin"}},
      {"distilbert", {"--format", "safetensors"}},
      {"distilbert", {"--format", "bin"}},
      {"bert", {"--format", "safetensors", "--dtype", "F16", "--bare"}},
      {"roberta", {"--format", "safetensors", "--dtype", "BF16", "--act", "gelu_new"}},
      {"distilbert", {"--format", "bin", "--bare", "--dtype", "BF16"}},
      {"bert", {"--format", "bin", "--gamma-beta", "--model-type", "cxr-bert"}},
  };
  int n = 0;
  for (const Variant& v : variants) {
    const std::string dir = tmp_.file("m" + std::to_string(n++));
    std::vector<std::string> args = {"--arch", v.arch, "--seed", std::to_string(n)};
    args.insert(args.end(), v.args.begin(), v.args.end());
    make_folder(dir, args);
    const long pad = v.arch == "roberta" ? 1 : 0;
    for (int layer : {0, 1, 3}) {
      EXPECT_LT(worst_difference(dir, layer, pad, 3), kTolerance)
          << v.arch << " " << nlohmann::json(v.args).dump() << " layer " << layer;
    }
  }
}

TEST_F(HfEncoderTest, DescribesTheModelAndDefaultsToTheLastLayer) {
  const std::string dir = tmp_.file("roberta");
  make_folder(dir, {"--arch", "roberta", "--layers", "4"});
  auto model = TorchModel::load("hf_encoder", {{"model_dir", dir}, {"threads", "1"}});
  const auto d = nlohmann::json::parse(model->description());
  EXPECT_EQ(d["architecture"], "roberta");
  EXPECT_EQ(d["layers"], 4);
  EXPECT_EQ(d["layer"], 4);
  EXPECT_EQ(d["hidden"], kHidden);
  EXPECT_EQ(d["pad_token_id"], 1);
  EXPECT_EQ(d["state_dict_prefix"], "roberta.");
  EXPECT_EQ(d["format"], "safetensors");
  EXPECT_EQ(d["threads"], 1);
  EXPECT_EQ(d["unused_key_count"], 3);  // lm_head.dense.{weight,bias}, embeddings.position_ids
}

TEST_F(HfEncoderTest, Int8StaysCloseToFloat32) {
  const std::string dir = tmp_.file("bert");
  make_folder(dir, {"--arch", "bert", "--hidden", "64", "--intermediate", "128"});
  const auto seqs = sequences(40, 3, 5);
  std::int64_t width = 0;
  auto fp32 = load(dir, 3);
  auto int8 = load(dir, 3, true);
  const auto a = run_batch(*fp32, seqs, 0, width, 64);
  const auto b = run_batch(*int8, seqs, 0, width, 64);
  ASSERT_EQ(a.size(), b.size());
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  EXPECT_GT(dot / std::sqrt(na * nb), 0.999);
  const auto d = nlohmann::json::parse(int8->description());
  EXPECT_EQ(d["int8"], true);
}

std::string load_error(const std::string& dir, int layer = -1) {
  try {
    TorchModel::load("hf_encoder", {{"model_dir", dir}, {"layer", std::to_string(layer)}});
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST_F(HfEncoderTest, ErrorsNameTheFileAndTheTensor) {
  const std::string dropped = tmp_.file("dropped");
  make_folder(dropped, {"--arch", "bert", "--drop", "bert.encoder.layer.1.output.dense.weight"});
  std::string e = load_error(dropped);
  EXPECT_NE(e.find(dropped + "/model.safetensors is not a usable bert model"), std::string::npos)
      << e;
  EXPECT_NE(e.find("missing keys (1): bert.encoder.layer.1.output.dense.weight"), std::string::npos)
      << e;
  // Layers past the requested one are not read, so their absence does not matter.
  EXPECT_EQ(load_error(dropped, 1), "(no InputError)");

  const std::string reshaped = tmp_.file("reshaped");
  make_folder(reshaped, {"--arch", "distilbert", "--format", "bin", "--reshape",
                         "distilbert.transformer.layer.0.ffn.lin1.weight"});
  e = load_error(reshaped);
  EXPECT_NE(e.find(reshaped + "/pytorch_model.bin is not a usable distilbert model"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("distilbert.transformer.layer.0.ffn.lin1.weight is [64, 31], expected [64, 32]"),
            std::string::npos)
      << e;

  const std::string unknown = tmp_.file("unknown");
  make_folder(unknown, {"--arch", "bert", "--model-type", "xlnet"});
  e = load_error(unknown);
  EXPECT_NE(e.find(unknown + "/config.json: model_type \"xlnet\" is not supported"),
            std::string::npos)
      << e;

  e = load_error(dropped, 7);
  EXPECT_NE(e.find("layer 7 requested, but the model has 3 layers"), std::string::npos) << e;

  const std::string truncated = tmp_.file("truncated");
  make_folder(truncated, {"--arch", "bert"});
  const std::string weights = truncated + "/model.safetensors";
  std::filesystem::resize_file(weights, std::filesystem::file_size(weights) - 100);
  e = load_error(truncated);
  EXPECT_NE(e.find(weights + ": tensor '"), std::string::npos) << e;
  EXPECT_NE(e.find("truncated or corrupt"), std::string::npos) << e;

  write_file(weights, "not a safetensors file at all");
  e = load_error(truncated);
  EXPECT_NE(e.find(weights + ": not a safetensors file"), std::string::npos) << e;

  std::filesystem::remove(weights);
  e = load_error(truncated);
  EXPECT_NE(e.find("no model.safetensors or pytorch_model.bin"), std::string::npos) << e;
  EXPECT_NE(load_error(tmp_.file("absent")).find("no such folder"), std::string::npos);
}

}  // namespace
}  // namespace rrg::testing
