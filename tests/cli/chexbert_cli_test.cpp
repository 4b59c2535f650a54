// `rrg annotate --labeler chexbert` and `rrg evaluate --labeler chexbert` on the real binary with
// a small generated checkpoint (tests/labelers/chexbert/chexbert_fixtures.h, cli.pth: hidden 128, 2
// heads): labels and CheXbert vector similarity against the python3-torch reference, the cache
// across runs, and that libtorch is loaded only when CheXbert is used.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "labelers/chexbert/chexbert_fixtures.h"
#include "rrg/chexpert/observations.h"
#include "rrg/core/cpu_features.h"
#include "support/json_lines.h"
#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

constexpr int kCliHeads = 2;

std::string jsonl(const std::vector<std::string>& texts, std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out +=
        nlohmann::json{{"id", "s" + std::to_string(i)}, {"report", texts[first + i]}}.dump() + "\n";
  }
  return out;
}

// The Python reference's output for `texts` (tokenized by the Python reference tokenizer).
nlohmann::json reference(const std::string& dir, const std::vector<std::string>& texts) {
  return nlohmann::json::parse(run_chexbert_reference(
      dir + "/cli.pth", reference_chexbert_ids(texts, dir + "/vocab.txt"), kCliHeads));
}

class ChexbertCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = chexbert_fixture_dir();
    ASSERT_FALSE(dir_.empty());
  }
  std::vector<std::string> flags() const {
    return {"--labeler",
            "chexbert",
            "--chexbert-checkpoint",
            dir_ + "/cli.pth",
            "--vocab",
            dir_ + "/vocab.txt",
            "--chexbert-threads",
            "1",
            "--cache",
            tmp_.file("cache.sqlite")};
  }
  std::string dir_;
  TempDir tmp_;
};

TEST_F(ChexbertCliTest, AnnotateMatchesPyTorchAndCachesReferences) {
  const auto& texts = radiology_reports();
  write_file(tmp_.file("reports.jsonl"), jsonl(texts, 0, texts.size()));
  std::vector<std::string> args = {"annotate", "--in", tmp_.file("reports.jsonl"), "--out",
                                   tmp_.file("labels.jsonl")};
  for (const auto& f : flags()) args.push_back(f);
  const CommandResult r = run_rrg(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("with chexbert@sha256:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0 from cache"), std::string::npos) << r.err;

  const auto want = reference(dir_, texts);
  const std::string out = read_file(tmp_.file("labels.jsonl"));
  std::size_t i = 0;
  for (std::size_t start = 0; start < out.size(); ++i) {
    const std::size_t end = out.find('\n', start);
    const auto record = nlohmann::json::parse(out.substr(start, end - start));
    start = end + 1;
    ASSERT_LT(i, texts.size());
    EXPECT_EQ(record["id"], "s" + std::to_string(i));
    for (std::size_t head = 0; head < chexpert::kNumObservations; ++head) {
      const std::string name(chexpert::kObservationNames[head]);
      EXPECT_EQ(record["labels"][name], want["labels"][i][head]) << "report " << i << " " << name;
    }
  }
  EXPECT_EQ(i, texts.size());

  // The same references again: every distinct text comes from the cache, and libtorch is not
  // even loaded (LD_DEBUG=files lists every object the dynamic linker loads, dlopen()ed too).
  const CommandResult again = run_rrg(args, "", {"LD_DEBUG=files"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("from cache, 0 computed"), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find("libtorch"), std::string::npos);
  EXPECT_EQ(read_file(tmp_.file("labels.jsonl")), out);
}

TEST_F(ChexbertCliTest, EvaluateAddsChexbertSimilarity) {
  const auto& texts = radiology_reports();
  const std::size_t n = 20;
  write_file(tmp_.file("pred.jsonl"), jsonl(texts, 0, n));
  write_file(tmp_.file("ref.jsonl"), jsonl(texts, n, n));
  std::vector<std::string> args = {
      "evaluate",   "--pred", tmp_.file("pred.jsonl"),  "--ref", tmp_.file("ref.jsonl"),
      "--no-clean", "--json", tmp_.file("scores.json"), "-q"};
  for (const auto& f : flags()) args.push_back(f);
  const CommandResult r = run_rrg(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto scores = nlohmann::json::parse(read_file(tmp_.file("scores.json")));
  ASSERT_TRUE(scores["corpus"].contains("chexbert_similarity")) << scores["corpus"].dump();
  EXPECT_TRUE(scores["corpus"].contains("chexpert_micro_f1_14_uzeros"));

  // Cosine of the reference implementation's [CLS] embeddings (RadCliQ's s_emb).
  std::vector<std::string> both(texts.begin(), texts.begin() + 2 * n);
  const auto want = reference(dir_, both);
  double mean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = want["cls"][i].get<std::vector<double>>();
    const auto b = want["cls"][n + i].get<std::vector<double>>();
    double dot = 0, aa = 0, bb = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
      dot += a[k] * b[k];
      aa += a[k] * a[k];
      bb += b[k] * b[k];
    }
    const double cosine = dot / std::sqrt(aa * bb);
    mean += cosine / n;
    EXPECT_NEAR(scores["per_sample"]["s" + std::to_string(i)]["chexbert_similarity"].get<double>(),
                cosine, 1e-5)
        << i;
  }
  EXPECT_NEAR(scores["corpus"]["chexbert_similarity"].get<double>(), mean, 1e-5);
  EXPECT_NE(scores["signatures"]["chexbert_similarity"].get<std::string>().find(
                "labeler:chexbert@sha256:"),
            std::string::npos);
}

TEST_F(ChexbertCliTest, SimilarityNeedsTheChexbertLabeler) {
  write_file(tmp_.file("p.jsonl"), jsonl(radiology_reports(), 0, 2));
  const CommandResult r =
      run_rrg({"evaluate", "--pred", tmp_.file("p.jsonl"), "--ref", tmp_.file("p.jsonl"),
               "--labeler", "none", "--metrics", "chexbert_similarity"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("chexbert_similarity"), std::string::npos) << r.err;
}

TEST_F(ChexbertCliTest, LibtorchIsLoadedOnlyForChexbert) {
  // LD_DEBUG=files makes the dynamic linker report every object it loads, dlopen()ed ones too.
  write_file(tmp_.file("p.jsonl"), jsonl(radiology_reports(), 0, 3));
  const std::vector<std::string> common = {
      "evaluate", "--pred", tmp_.file("p.jsonl"), "--ref", tmp_.file("p.jsonl"), "-q"};
  std::vector<std::string> lexical = common;
  lexical.insert(lexical.end(), {"--labeler", "none"});
  const CommandResult without = run_rrg(lexical, "", {"LD_DEBUG=files"});
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_EQ(without.err.find("libtorch"), std::string::npos);

  std::vector<std::string> with = common;
  for (const auto& f : flags()) with.push_back(f);
  with.insert(with.end(), {"--no-cache"});
  const CommandResult loaded = run_rrg(with, "", {"LD_DEBUG=files"});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  EXPECT_NE(loaded.err.find("librrg_torch.so"), std::string::npos);
  EXPECT_NE(loaded.err.find("libtorch_cpu.so"), std::string::npos);
}

// --chexbert-int8 through every int8 kernel this CPU runs (RRG_INT8_KERNEL): the same bits in
// every score (the similarities are cosines of the int8 embeddings, printed to 17 digits), the
// kernel named in the summary line, and a kernel that cannot run refused.
TEST_F(ChexbertCliTest, Int8KernelsGiveIdenticalScoresAndAreReported) {
  const auto& texts = radiology_reports();
  write_file(tmp_.file("pred.jsonl"), jsonl(texts, 0, 12));
  write_file(tmp_.file("ref.jsonl"), jsonl(texts, 12, 12));
  const auto args = [&](const std::string& scores) {
    std::vector<std::string> a = {"evaluate",
                                  "--pred",
                                  tmp_.file("pred.jsonl"),
                                  "--ref",
                                  tmp_.file("ref.jsonl"),
                                  "--no-clean",
                                  "--json",
                                  scores,
                                  "--chexbert-int8",
                                  "--no-cache"};
    for (const auto& f : flags()) a.push_back(f);
    return a;
  };
  const std::vector<Int8Kernel> kernels = int8_kernels_for_this_cpu();
  const CommandResult chosen = run_rrg(args(tmp_.file("default.json")), "", {"RRG_INT8_KERNEL="});
  ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_NE(chosen.err.find(std::string("; int8 kernel ") + int8_kernel_name(kernels[0]) + ")"),
            std::string::npos)
      << chosen.err;
  const auto scores_of = [&](const std::string& file) {
    auto scores = nlohmann::json::parse(read_file(file));
    return nlohmann::json{{"corpus", scores["corpus"]}, {"per_sample", scores["per_sample"]}};
  };
  const nlohmann::json want = scores_of(tmp_.file("default.json"));
  ASSERT_TRUE(want["corpus"].contains("chexbert_similarity")) << want.dump();
  for (Int8Kernel kernel : kernels) {
    const std::string name = int8_kernel_name(kernel), file = tmp_.file(name + ".json");
    const CommandResult r = run_rrg(args(file), "", {"RRG_INT8_KERNEL=" + name});
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_NE(r.err.find("; int8 kernel " + name + ", forced by RRG_INT8_KERNEL)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(scores_of(file).dump(), want.dump()) << name;
  }

  const CommandResult unknown = run_rrg(args(tmp_.file("x.json")), "", {"RRG_INT8_KERNEL=sse9"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("RRG_INT8_KERNEL=sse9 names no int8 kernel"), std::string::npos)
      << unknown.err;
  for (Int8Kernel kernel : all_int8_kernels()) {
    if (int8_kernel_runs_on(kernel, cpu_features())) continue;
    const std::string name = int8_kernel_name(kernel);
    const CommandResult r = run_rrg(args(tmp_.file("x.json")), "", {"RRG_INT8_KERNEL=" + name});
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_NE(r.err.find("this CPU cannot run the " + name + " kernel"), std::string::npos)
        << r.err;
  }
}

// The summary line names OpenBLAS's kernels: on a CPU with Skylake-SP's AVX-512 set those rrg
// asks for (SkylakeX, whatever OpenBLAS makes of the CPU model), and a core the user chose with
// OPENBLAS_CORETYPE stays theirs.
TEST_F(ChexbertCliTest, ChoosesOpenBlasKernelsAndKeepsTheUsersChoice) {
  const auto& texts = radiology_reports();
  write_file(tmp_.file("in.jsonl"), jsonl(texts, 0, 3));
  const auto annotate = [&](const std::string& core) {
    std::vector<std::string> a = {
        "annotate", "--in", tmp_.file("in.jsonl"), "--out", tmp_.file("out.jsonl"), "--no-cache"};
    for (const auto& f : flags()) a.push_back(f);
    return run_rrg(a, "", {"OPENBLAS_CORETYPE=" + core, "OPENBLAS_VERBOSE="});
  };
  const CommandResult chosen = annotate("");
  ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
  if (chosen.err.find("; OpenBLAS ") == std::string::npos) {
    GTEST_SKIP() << "libtorch does not run on OpenBLAS here: " << chosen.err;
  }
  if (const char* core = openblas_coretype_for(cpu_features())) {
    EXPECT_NE(chosen.err.find(std::string("; OpenBLAS ") + core + ")"), std::string::npos)
        << chosen.err;
  }
  EXPECT_EQ(chosen.err.find("warning"), std::string::npos) << chosen.err;
  if (!cpu_features().avx2) GTEST_SKIP() << "this CPU cannot run OpenBLAS's Haswell kernels";
  const CommandResult users = annotate("Haswell");
  ASSERT_EQ(users.exit_code, 0) << users.err;
  EXPECT_NE(users.err.find("; OpenBLAS Haswell)"), std::string::npos) << users.err;
  const CommandResult old = annotate("Prescott");
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_NE(old.err.find("; OpenBLAS Prescott); warning: OpenBLAS does not know this CPU and "
                         "runs its Prescott kernels"),
            std::string::npos)
      << old.err;
  EXPECT_NE(old.err.find("set OPENBLAS_CORETYPE="), std::string::npos) << old.err;
}

TEST(RrgBinaryTest, VersionListsTheInt8KernelsOfThisCpu) {
  const CommandResult r = run_rrg({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(", int8-kernels:" + int8_kernels_text() + ")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("portable)"), std::string::npos) << r.out;
}

TEST(RrgBinaryTest, DoesNotLinkLibtorch) {
  const CommandResult r = run_command({"ldd", RRG_EXECUTABLE});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("libtorch"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("libc10"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rrg::testing

namespace rrg::testing {
namespace {

// --labeler auto (the default of evaluate and annotate) runs CheXbert when a checkpoint is
// configured, here through $RRG_CHEXBERT_CHECKPOINT / $RRG_CHEXBERT_VOCAB, and then the table
// carries no rules note; the configuration file does the same.
TEST_F(ChexbertCliTest, AutoLabelerIsCheXbertWhenACheckpointIsConfigured) {
  const auto& texts = radiology_reports();
  write_file(tmp_.file("pred.jsonl"), jsonl(texts, 0, 6));
  write_file(tmp_.file("ref.jsonl"), jsonl(texts, 6, 6));
  const std::vector<std::string> args = {"evaluate",
                                         "--pred",
                                         tmp_.file("pred.jsonl"),
                                         "--ref",
                                         tmp_.file("ref.jsonl"),
                                         "--chexbert-threads",
                                         "1",
                                         "--cache",
                                         tmp_.file("cache.sqlite"),
                                         "--json",
                                         "-"};
  const CommandResult env = run_rrg(args, "",
                                    {"RRG_CHEXBERT_CHECKPOINT=" + dir_ + "/cli.pth",
                                     "RRG_CHEXBERT_VOCAB=" + dir_ + "/vocab.txt"});
  ASSERT_EQ(env.exit_code, 0) << env.err;
  const auto doc = nlohmann::json::parse(env.out);
  EXPECT_EQ(doc["clinical"]["labeler"].get<std::string>().rfind("chexbert@sha256:", 0), 0u);
  EXPECT_FALSE(doc["clinical"].contains("note"));
  EXPECT_TRUE(doc["corpus"].contains("chexbert_similarity"));

  write_file(tmp_.file("config.toml"), "chexbert-checkpoint = \"" + dir_ +
                                           "/cli.pth\"\nvocab = \"" + dir_ + "/vocab.txt\"\n");
  const CommandResult config = run_rrg(args, "", {"RRG_CONFIG=" + tmp_.file("config.toml")});
  ASSERT_EQ(config.exit_code, 0) << config.err;
  EXPECT_EQ(nlohmann::json::parse(config.out)["clinical"]["labeler"], doc["clinical"]["labeler"]);
}

}  // namespace
}  // namespace rrg::testing
