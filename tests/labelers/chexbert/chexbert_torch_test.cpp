// The libtorch CheXbert model (src/labelers/chexbert_torch.cpp) and its checkpoint reader,
// through rrg's module loader, against the plain-torch reference chexbert_reference.py run by
// Debian's python3-torch at test time: logits and [CLS] embeddings within 1e-5, identical
// labels, every torch.save layout CheXbert checkpoints come in, and clear errors for bad files.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "labelers/chexbert/chexbert_fixtures.h"
#include "rrg/core/cpu_features.h"
#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

constexpr double kTolerance = 1e-5;  // issue 6: logits equal PyTorch's within 1e-5
constexpr int kLogits = 54;

// Token-id sequences shaped like CheXbert inputs ([CLS] ... [SEP]): 60 short ones of varied
// length, two at the 512-token maximum and one of 300, in an order that mixes lengths.
std::vector<std::vector<long>> test_sequences() {
  std::mt19937 rng(6);
  std::uniform_int_distribution<long> token(104, kTinyVocabSize - 1);
  std::vector<std::vector<long>> out;
  for (int n : {512, 300, 512}) {
    std::vector<long> ids{101};
    while (static_cast<int>(ids.size()) < n - 1) ids.push_back(token(rng));
    ids.push_back(102);
    out.push_back(ids);
  }
  for (int i = 0; i < 60; ++i) {
    std::vector<long> ids{101};
    const int length = i == 0 ? 0 : 1 + (i * 7) % 41;
    for (int j = 0; j < length; ++j) ids.push_back(token(rng));
    ids.push_back(102);
    out.insert(out.begin() + (i * 5) % (out.size() + 1), ids);
  }
  return out;
}

struct ModelOutput {
  std::vector<std::vector<float>> logits;  // per sequence, 54 values
  std::vector<std::vector<float>> cls;     // per sequence, hidden values
};

// Runs the model on `sequences` in batches of `batch` rows (padded with 0, input order).
ModelOutput run_model(TorchModel& model, const std::vector<std::vector<long>>& sequences,
                      std::size_t batch) {
  ModelOutput out;
  for (std::size_t start = 0; start < sequences.size(); start += batch) {
    const std::size_t end = std::min(sequences.size(), start + batch);
    std::size_t width = 0;
    for (std::size_t i = start; i < end; ++i) width = std::max(width, sequences[i].size());
    std::vector<std::int64_t> ids((end - start) * width, 0), lengths;
    for (std::size_t i = start; i < end; ++i) {
      std::copy(sequences[i].begin(), sequences[i].end(), ids.begin() + (i - start) * width);
      lengths.push_back(static_cast<std::int64_t>(sequences[i].size()));
    }
    const auto rows = static_cast<std::int64_t>(end - start);
    auto outputs =
        model.run({{TorchDtype::kInt64, {rows, static_cast<std::int64_t>(width)}, ids.data()},
                   {TorchDtype::kInt64, {rows}, lengths.data()}});
    EXPECT_EQ(outputs.size(), 2u);
    EXPECT_EQ(outputs[0].shape, (std::vector<std::int64_t>{rows, kLogits}));
    EXPECT_EQ(outputs[1].shape, (std::vector<std::int64_t>{rows, kTinyHidden}));
    for (std::int64_t r = 0; r < rows; ++r) {
      out.logits.emplace_back(outputs[0].data.begin() + r * kLogits,
                              outputs[0].data.begin() + (r + 1) * kLogits);
      out.cls.emplace_back(outputs[1].data.begin() + r * kTinyHidden,
                           outputs[1].data.begin() + (r + 1) * kTinyHidden);
    }
  }
  return out;
}

// CheXbert's label of head `head` from its logits (label.py: argmax, then 0 blank -> null,
// 1 -> 1, 2 -> 0, 3 -> -1); "null" for blank.
std::string label_of(const std::vector<float>& logits, int head) {
  const int first = head * 4, classes = head < 13 ? 4 : 2;
  const int best =
      static_cast<int>(std::max_element(logits.begin() + first, logits.begin() + first + classes) -
                       (logits.begin() + first));
  static const char* const kLabels[] = {"null", "1", "0", "-1"};
  return kLabels[best];
}

class ChexbertTorchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { use_built_torch_module(); }
  void SetUp() override {
    dir_ = chexbert_fixture_dir();
    ASSERT_FALSE(dir_.empty());
  }
  std::unique_ptr<TorchModel> load(const std::string& file) {
    return TorchModel::load("chexbert", {{"checkpoint", dir_ + "/" + file},
                                         {"heads", std::to_string(kTinyHeads)},
                                         {"threads", "1"}});  // tests share busy cores
  }
  std::string load_error(const std::string& path) {
    try {
      TorchModel::load("chexbert", {{"checkpoint", path}, {"heads", "4"}});
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no InputError for " << path;
    return "";
  }
  std::string dir_;
};

TEST_F(ChexbertTorchTest, LogitsAndEmbeddingsMatchPyTorchWithin1e5) {
  const auto sequences = test_sequences();
  ASSERT_GE(sequences.size(), 50u);
  const std::string reference_text = run_chexbert_reference(dir_ + "/zip.pth", sequences);
  ASSERT_FALSE(reference_text.empty());
  const auto reference = nlohmann::json::parse(reference_text);
  // The reference's own padded batches agree with its single-report runs.
  EXPECT_LT(reference["batched_max_abs_diff"].get<double>(), kTolerance);

  auto model = load("zip.pth");
  // Batches of 7 in input order mix short and 512-token rows: padding must not leak.
  const ModelOutput got = run_model(*model, sequences, 7);
  ASSERT_EQ(got.logits.size(), sequences.size());
  double worst_logit = 0, worst_cls = 0;
  int labels_checked = 0;
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    const auto want_logits = reference["logits"][i].get<std::vector<double>>();
    const auto want_cls = reference["cls"][i].get<std::vector<double>>();
    ASSERT_EQ(want_logits.size(), static_cast<std::size_t>(kLogits));
    for (int k = 0; k < kLogits; ++k) {
      worst_logit = std::max(worst_logit, std::abs(got.logits[i][k] - want_logits[k]));
    }
    for (int k = 0; k < kTinyHidden; ++k) {
      worst_cls = std::max(worst_cls, std::abs(got.cls[i][k] - want_cls[k]));
    }
    for (int head = 0; head < 14; ++head) {
      const auto& want = reference["labels"][i][head];
      EXPECT_EQ(label_of(got.logits[i], head), want.is_null() ? "null" : want.dump())
          << "sequence " << i << " head " << head;
      ++labels_checked;
    }
  }
  EXPECT_LT(worst_logit, kTolerance);
  EXPECT_LT(worst_cls, kTolerance);
  EXPECT_EQ(labels_checked, static_cast<int>(sequences.size()) * 14);
}

TEST_F(ChexbertTorchTest, BatchCompositionDoesNotChangeResults) {
  const auto sequences = test_sequences();
  auto model = load("zip.pth");
  const ModelOutput one = run_model(*model, sequences, 1);
  const ModelOutput all = run_model(*model, sequences, sequences.size());
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    for (int k = 0; k < kLogits; ++k) {
      EXPECT_NEAR(one.logits[i][k], all.logits[i][k], kTolerance) << "sequence " << i;
    }
  }
}

TEST_F(ChexbertTorchTest, EveryCheckpointLayoutGivesTheSameModel) {
  const auto sequences = test_sequences();
  const ModelOutput zip = run_model(*load("zip.pth"), sequences, 16);
  for (const char* file : {"legacy.pth", "plain.pth", "bare.pth"}) {
    const ModelOutput other = run_model(*load(file), sequences, 16);
    EXPECT_EQ(other.logits, zip.logits) << file;
    EXPECT_EQ(other.cls, zip.cls) << file;
  }
}

TEST_F(ChexbertTorchTest, Int8StaysCloseToFloat32) {
  const auto sequences = test_sequences();
  const ModelOutput fp32 = run_model(*load("zip.pth"), sequences, 16);
  auto int8_model = TorchModel::load("chexbert", {{"checkpoint", dir_ + "/zip.pth"},
                                                  {"heads", std::to_string(kTinyHeads)},
                                                  {"threads", "1"},
                                                  {"int8", "1"}});
  const auto description = nlohmann::json::parse(int8_model->description());
  EXPECT_EQ(description["int8"], true);
  // The fastest kernel of this CPU (all pass their self-check), unless RRG_INT8_KERNEL forces one.
  const char* forced = std::getenv("RRG_INT8_KERNEL");
  EXPECT_EQ(description["int8_kernel"], forced != nullptr && *forced != '\0'
                                            ? std::string(forced)
                                            : int8_kernel_name(int8_kernels_for_this_cpu()[0]));
  EXPECT_EQ(description.contains("int8_kernel_note"), forced != nullptr && *forced != '\0');
  const ModelOutput int8 = run_model(*int8_model, sequences, 16);
  int agree = 0, cells = 0;
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    for (int head = 0; head < 14; ++head, ++cells) {
      agree += label_of(fp32.logits[i], head) == label_of(int8.logits[i], head);
    }
    for (int k = 0; k < kLogits; ++k) {
      worst = std::max(worst, double(std::abs(fp32.logits[i][k] - int8.logits[i][k])));
      scale = std::max(scale, double(std::abs(fp32.logits[i][k])));
    }
  }
  std::printf("int8 vs fp32: %d/%d labels agree, max logit difference %g (max |logit| %g)\n", agree,
              cells, worst, scale);
  // This tiny random model (weights ~N(0, 0.5)) is far less smooth than a trained one; the
  // agreement on real-size models is measured by scripts/bench_chexbert.sh.
  EXPECT_GE(agree, cells * 9 / 10);
  EXPECT_LT(worst, 0.1 * scale);
}

TEST_F(ChexbertTorchTest, DescriptionReportsSizesAndFormat) {
  const auto zip = nlohmann::json::parse(load("zip.pth")->description());
  EXPECT_EQ(zip["kind"], "chexbert");
  EXPECT_EQ(zip["format"], "zip");
  EXPECT_EQ(zip["state_dict"], "model_state_dict");
  EXPECT_EQ(zip["layers"], kTinyLayers);
  EXPECT_EQ(zip["hidden"], kTinyHidden);
  EXPECT_EQ(zip["heads"], kTinyHeads);
  EXPECT_EQ(zip["intermediate"], 64);
  EXPECT_EQ(zip["vocab_size"], kTinyVocabSize);
  EXPECT_EQ(zip["max_positions"], 512);
  EXPECT_EQ(zip["threads"], 1);
  EXPECT_FALSE(zip.contains("int8_kernel"));  // float32: no int8 kernel chosen
  EXPECT_EQ(zip["unused_keys"].size(), 0u);   // the pooler is expected and not listed
  EXPECT_NE(zip["blas"].get<std::string>().find("OpenBLAS"), std::string::npos) << zip["blas"];
  const auto legacy = nlohmann::json::parse(load("legacy.pth")->description());
  EXPECT_EQ(legacy["format"], "legacy");
  const auto plain = nlohmann::json::parse(load("plain.pth")->description());
  EXPECT_EQ(plain["state_dict"], "top");
}

TEST_F(ChexbertTorchTest, MissingKeysAreNamed) {
  const std::string error = load_error(dir_ + "/missing.pth");
  EXPECT_NE(error.find("missing.pth is not a usable CheXbert checkpoint"), std::string::npos)
      << error;
  EXPECT_NE(error.find("missing keys (2)"), std::string::npos) << error;
  EXPECT_NE(error.find("bert.encoder.layer.1.output.dense.weight"), std::string::npos) << error;
  EXPECT_NE(error.find("linear_heads.13.bias"), std::string::npos) << error;
}

TEST_F(ChexbertTorchTest, WrongShapesAreNamed) {
  const std::string error = load_error(dir_ + "/reshaped.pth");
  EXPECT_NE(error.find("wrong shapes: linear_heads.3.weight is [3, 5], expected [4, 32]"),
            std::string::npos)
      << error;
}

TEST_F(ChexbertTorchTest, TruncatedAndForeignFilesAreRejected) {
  TempDir tmp;
  for (const char* file : {"zip.pth", "legacy.pth"}) {
    const std::string whole = read_file(dir_ + "/" + file);
    const std::string cut = tmp.file(std::string("cut-") + file);
    write_file(cut, whole.substr(0, whole.size() / 2));
    const std::string error = load_error(cut);
    EXPECT_NE(error.find(cut + ": "), std::string::npos) << error;
  }
  EXPECT_NE(load_error(tmp.file("cut-legacy.pth")).find("ends unexpectedly"), std::string::npos);

  write_file(tmp.file("notes.txt"), "these are not weights\n");
  EXPECT_NE(load_error(tmp.file("notes.txt")).find("not a torch.save file"), std::string::npos);

  EXPECT_NE(load_error(tmp.file("absent.pth")).find("cannot open the checkpoint"),
            std::string::npos);
}

TEST_F(ChexbertTorchTest, BadInputsAreRejected) {
  auto model = load("zip.pth");
  std::vector<std::int64_t> ids{101, kTinyVocabSize + 5, 102}, lengths{3};
  EXPECT_THROW(model->run({{TorchDtype::kInt64, {1, 3}, ids.data()},
                           {TorchDtype::kInt64, {1}, lengths.data()}}),
               InputError);
  std::vector<std::int64_t> ok{101, 200, 102}, too_long{4};
  EXPECT_THROW(model->run({{TorchDtype::kInt64, {1, 3}, ok.data()},
                           {TorchDtype::kInt64, {1}, too_long.data()}}),
               InputError);
}

// Module discovery and the ABI check are per-process state: exercise them in fresh processes.
const std::string kProbe = std::string(RRG_BINARY_DIR) + "/tests/labelers/torch_module_probe";

class TorchModuleLoaderTest : public ::testing::Test {
 protected:
  // Each probe gets RRG_TORCH_MODULE from its own environment list only.
  void SetUp() override { ::unsetenv("RRG_TORCH_MODULE"); }
};

TEST_F(TorchModuleLoaderTest, ModuleIsLoadedOnlyWhenAModelIsLoaded) {
  const std::string dir = chexbert_fixture_dir();
  const CommandResult r =
      run_command({kProbe, "chexbert", "checkpoint=" + dir + "/zip.pth", "heads=4"}, "",
                  {"RRG_TORCH_MODULE=" + std::string(RRG_BINARY_DIR) + "/librrg_torch.so"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("loaded-before:0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("loaded-after:1"), std::string::npos) << r.out;
}

TEST_F(TorchModuleLoaderTest, MissingModuleIsExplained) {
  const std::string missing = ::testing::TempDir() + "/no-such-dir/librrg_torch.so";
  const CommandResult r =
      run_command({kProbe, "chexbert", "checkpoint=x.pth"}, "", {"RRG_TORCH_MODULE=" + missing});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rrg's libtorch module (CMake target rrg_torch; needs libtorch-dev) was "
                       "not found at " +
                       missing),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("RRG_TORCH_MODULE"), std::string::npos) << r.err;
}

TEST_F(TorchModuleLoaderTest, OtherAbiVersionIsRefused) {
  const std::string fake = std::string(RRG_BINARY_DIR) + "/tests/labelers/libfake_torch_module.so";
  const CommandResult r =
      run_command({kProbe, "chexbert", "checkpoint=x.pth"}, "", {"RRG_TORCH_MODULE=" + fake});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(fake + ": incompatible module version (module: 999, rrg: 1)"),
            std::string::npos)
      << r.err;
}

TEST_F(TorchModuleLoaderTest, UnknownKindIsExplained) {
  const CommandResult r =
      run_command({kProbe, "no-such-kind"}, "",
                  {"RRG_TORCH_MODULE=" + std::string(RRG_BINARY_DIR) + "/librrg_torch.so"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no model kind 'no-such-kind' (it has: chexbert, torchscript, hf_encoder, radgraph)"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace rrg::testing
