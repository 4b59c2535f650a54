// rrg's BERTScore (rrg/metrics/bertscore/bertscore.h) on tiny BERT, DistilBERT and RoBERTa
// folders against tests/metrics/bertscore/bertscore_reference.py, an independent numpy
// re-implementation of bert_score 0.3.13's sent_encode, idf, padded greedy matching, several
// references and rescaling: token ids equal, P/R/F1 per sample within 1e-6 on the embeddings rrg
// computed (which are checked against the plain-torch encoder too), including empty texts, texts
// longer than the maximum length, several references and small batches (bert_score's padding
// quirk). Also: the caches (a second run does no forward pass, a third no matching), signatures
// and errors.
#include "rrg/metrics/bertscore/bertscore.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "metrics/bertscore/bertscore_fixtures.h"
#include "rrg/core/errors.h"
#include "support/json_lines.h"
#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using metrics::bertscore::BertScoreOptions;
using metrics::bertscore::BertScorer;

constexpr double kTolerance = 1e-6;

std::string reference_script() {
  return source_dir() + "/tests/metrics/bertscore/bertscore_reference.py";
}

struct Corpus {
  std::vector<std::string> hyps;
  std::vector<std::vector<std::string>> refs;
};

// 30 samples: report pairs, one, two or three references, empty and whitespace-only texts, a
// text of control characters only (no WordPiece tokens: bert_score's "empty"), identical pairs,
// and reports longer than the 40-token maximum.
Corpus test_corpus() {
  const auto& reports = radiology_reports();
  std::string long_report;
  for (int i = 0; i < 8; ++i) long_report += reports[i] + " ";
  Corpus c;
  for (int i = 0; i < 24; ++i) {
    c.hyps.push_back(reports[i]);
    std::vector<std::string> refs = {reports[(i + 1) % reports.size()]};
    if (i % 3 == 0) refs.push_back(reports[(i + 7) % reports.size()]);
    if (i % 5 == 0) refs.push_back(reports[i]);  // identical to the hypothesis
    c.refs.push_back(refs);
  }
  c.hyps.insert(c.hyps.end(), {"", "   \t ", "\x01\x02", long_report, reports[3], long_report});
  // Short texts: at layer 0 (random embeddings) all of a token's cosines with a short text can
  // be negative, which exercises bert_score's zero-padding quirk.
  for (const char* h : {"Effusion.", "No.", "Tube", "Clear lungs.", "Is", "Normal"}) {
    c.hyps.push_back(h);
  }
  c.refs.push_back({reports[2]});
  c.refs.push_back({reports[5], ""});
  c.refs.push_back({reports[6]});
  c.refs.push_back({reports[9]});
  c.refs.push_back({"", reports[8] + " " + long_report});
  c.refs.push_back({long_report + " tail"});
  for (const char* r : {"No.", "Mild", "Lobe.", "Pneumothorax", "Heart", "The size"}) {
    c.refs.push_back({r});
  }
  return c;
}

std::vector<std::string> distinct_texts(const Corpus& c) {
  std::vector<std::string> texts;
  const auto add = [&](const std::string& t) {
    if (std::find(texts.begin(), texts.end(), t) == texts.end()) texts.push_back(t);
  };
  for (const auto& h : c.hyps) add(h);
  for (const auto& g : c.refs) {
    for (const auto& r : g) add(r);
  }
  return texts;
}

class BertScoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { use_built_torch_module_for_bertscore(); }
  BertScoreOptions options(const std::string& dir) {
    BertScoreOptions o;
    o.model_dir = dir;
    o.layer = 2;
    o.threads = 1;
    o.cache_path = tmp_.file("cache.sqlite");
    return o;
  }
  TempDir tmp_;
};

// The reference's P/R/F1 for `corpus` on the embeddings `scorer` computed.
nlohmann::json reference_scores(BertScorer& scorer, const Corpus& corpus, bool idf, int batch_size,
                                const std::vector<double>& baseline, const std::string& work) {
  nlohmann::json in;
  in["cands"] = corpus.hyps;
  in["refs"] = corpus.refs;
  in["idf"] = idf;
  in["cls"] = scorer.encoder().cls_id();
  in["sep"] = scorer.encoder().sep_id();
  in["batch_size"] = batch_size;
  in["baseline"] = baseline.empty() ? nlohmann::json(nullptr) : nlohmann::json(baseline);
  const auto texts = distinct_texts(corpus);
  const auto embeddings = scorer.embed(texts);
  const std::size_t dim = scorer.dim();
  for (std::size_t t = 0; t < texts.size(); ++t) {
    in["ids"][texts[t]] = embeddings[t].ids;
    std::vector<std::vector<float>> rows;
    for (std::size_t i = 0; i < embeddings[t].ids.size(); ++i) {
      rows.emplace_back(embeddings[t].rows.begin() + i * dim,
                        embeddings[t].rows.begin() + (i + 1) * dim);
    }
    in["emb"][texts[t]] = rows;
  }
  write_file(work + "/in.json", in.dump());
  const CommandResult r = run_command(
      {"/usr/bin/python3", reference_script(), "score", work + "/in.json", work + "/out.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(read_file(work + "/out.json")) : nlohmann::json();
}

void expect_near_or_nan(double got, const nlohmann::json& want, const std::string& what) {
  if (want.is_null()) {
    EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", want NaN";
  } else {
    EXPECT_NEAR(got, want.get<double>(), kTolerance) << what;
  }
}

struct Setting {
  bool idf;
  int batch_size;
  bool rescale;
  int layer;
};

TEST_F(BertScoreTest, MatchesIndependentReimplementationWithin1e6) {
  const Corpus corpus = test_corpus();
  const std::vector<Setting> settings = {
      {false, 64, false, 2}, {true, 4, true, 2}, {false, 5, true, 0}, {true, 7, false, 0}};
  write_file(tmp_.file("baseline.tsv"),
             "LAYER,P,R,F\n0,0.1,0.2,0.3\n1,0.31,0.32,0.33\n2,0.4123456789,0.25,0.35\n");
  struct Variant {
    std::string name, arch;
    std::vector<std::string> args;
  };
  // "tiny": 4 dimensions, where many cosines are negative, so bert_score's zero-padding quirk
  // changes scores (checked below).
  const std::vector<Variant> variants = {
      {"bert", "bert", {}},
      {"roberta", "roberta", {}},
      {"distilbert", "distilbert", {}},
      {"tiny", "distilbert", {"--hidden", "4", "--heads", "2", "--intermediate", "8"}}};
  for (const Variant& v : variants) {
    const std::string& arch = v.name;
    const std::string dir = tmp_.file(v.name);
    ASSERT_TRUE(make_bertscore_folder(dir, v.arch, v.args));
    // The token ids equal the reference's sent_encode.
    {
      BertScorer scorer(options(dir));
      const auto texts = distinct_texts(corpus);
      const auto want =
          run_json_lines({"/usr/bin/python3", reference_script(), "encode", dir}, texts);
      ASSERT_EQ(want.size(), texts.size());
      std::size_t truncated = 0;
      for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto ids = scorer.encoder().encode(texts[i]);
        EXPECT_EQ(ids, want[i]["ids"].get<std::vector<std::int32_t>>())
            << arch << " text " << i << ": " << nlohmann::json(texts[i]).dump();
        truncated += ids.size() == scorer.encoder().max_length();
      }
      EXPECT_GE(truncated, 3u) << arch << ": the corpus must exercise truncation";
    }
    for (const Setting& s : settings) {
      BertScoreOptions o = options(dir);
      o.idf = s.idf;
      o.batch_size = s.batch_size;
      o.rescale = s.rescale;
      o.layer = s.layer;
      if (s.rescale) o.baseline_file = tmp_.file("baseline.tsv");
      BertScorer scorer(o);
      const auto got = scorer.score(corpus.hyps, corpus.refs);
      const auto want =
          reference_scores(scorer, corpus, s.idf, s.batch_size,
                           s.rescale ? (s.layer == 2 ? std::vector<double>{0.4123456789, 0.25, 0.35}
                                                     : std::vector<double>{0.1, 0.2, 0.3})
                                     : std::vector<double>{},
                           tmp_.path());
      ASSERT_EQ(got.samples.size(), corpus.hyps.size());
      ASSERT_EQ(want["F"].size(), corpus.hyps.size());
      double mean_f1 = 0;
      for (std::size_t i = 0; i < corpus.hyps.size(); ++i) {
        const std::string what =
            arch + " idf=" + std::to_string(s.idf) + " batch=" + std::to_string(s.batch_size) +
            " rescale=" + std::to_string(s.rescale) + " layer=" + std::to_string(s.layer) +
            " sample " + std::to_string(i);
        expect_near_or_nan(got.samples[i].precision, want["P"][i], what + " P");
        expect_near_or_nan(got.samples[i].recall, want["R"][i], what + " R");
        expect_near_or_nan(got.samples[i].f1, want["F"][i], what + " F");
        mean_f1 += want["F"][i].get<double>();
      }
      EXPECT_NEAR(got.f1, mean_f1 / corpus.hyps.size(), kTolerance);
      // bert_score's warnings: the corpus has empty candidates and references.
      EXPECT_EQ(got.warnings.size(), 2u);
    }
    if (v.name == "tiny") {
      // Without padding (one pair per batch) some scores differ: the quirk was exercised.
      BertScoreOptions o = options(dir);
      o.layer = 0;
      o.batch_size = 4;
      const auto padded = BertScorer(o).score(corpus.hyps, corpus.refs);
      o.batch_size = 1;
      const auto alone = BertScorer(o).score(corpus.hyps, corpus.refs);
      std::size_t differ = 0;
      for (std::size_t i = 0; i < corpus.hyps.size(); ++i) {
        differ += std::abs(padded.samples[i].f1 - alone.samples[i].f1) > 1e-9;
      }
      EXPECT_GT(differ, 0u);
    }
  }
}

TEST_F(BertScoreTest, EmbeddingsAreThePlainTorchHiddenStatesNormalised) {
  const std::string dir = tmp_.file("roberta");
  ASSERT_TRUE(make_bertscore_folder(dir, "roberta"));
  BertScorer scorer(options(dir));
  const std::vector<std::string> texts = {"The lungs are clear.", "No pleural effusion.", ""};
  const auto got = scorer.embed(texts);
  std::vector<std::vector<std::int32_t>> ids;
  for (const auto& e : got) ids.push_back(e.ids);
  write_file(tmp_.file("in.json"), nlohmann::json{{"ids", ids}}.dump());
  const CommandResult r =
      run_command({"/usr/bin/python3", source_dir() + "/tests/torch_module/hf_encoder_reference.py",
                   "run", dir, tmp_.file("in.json"), tmp_.file("out.json"), "--layer", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto want = nlohmann::json::parse(read_file(tmp_.file("out.json")))["hidden"];
  const std::size_t dim = scorer.dim();
  for (std::size_t t = 0; t < texts.size(); ++t) {
    ASSERT_EQ(want[t].size(), ids[t].size());
    for (std::size_t i = 0; i < ids[t].size(); ++i) {
      const auto row = want[t][i].get<std::vector<double>>();
      double norm = 0;
      for (double v : row) norm += v * v;
      norm = std::sqrt(norm);
      for (std::size_t k = 0; k < dim; ++k) {
        EXPECT_NEAR(got[t].rows[i * dim + k], row[k] / norm, 1e-5);
      }
    }
  }
}

TEST_F(BertScoreTest, SecondRunIsServedByTheCache) {
  const std::string dir = tmp_.file("bert");
  ASSERT_TRUE(make_bertscore_folder(dir, "bert"));
  const Corpus corpus = test_corpus();
  metrics::bertscore::BertScoreResult first;
  {
    BertScorer scorer(options(dir));
    first = scorer.score(corpus.hyps, corpus.refs);
    EXPECT_GT(scorer.stats().computed, 0u);
    EXPECT_EQ(scorer.stats().from_cache, 0u);
  }
  {
    // Same references, new hypotheses: the references' embeddings come from the cache.
    BertScorer scorer(options(dir));
    std::vector<std::string> hyps(corpus.hyps.size(), "Heart size is normal.");
    scorer.score(hyps, corpus.refs);
    EXPECT_EQ(scorer.stats().computed, 1u);
    EXPECT_GT(scorer.stats().from_cache, 10u);
  }
  {
    BertScorer scorer(options(dir));
    const auto again = scorer.score(corpus.hyps, corpus.refs);
    EXPECT_EQ(scorer.stats().computed, 0u);
    EXPECT_EQ(scorer.stats().pairs_from_cache, scorer.stats().pairs);
    ASSERT_EQ(again.samples.size(), first.samples.size());
    for (std::size_t i = 0; i < first.samples.size(); ++i) {
      EXPECT_EQ(again.samples[i].f1, first.samples[i].f1);
      EXPECT_EQ(again.samples[i].reference, first.samples[i].reference);
    }
  }
  {
    // Another layer is another identity: nothing is reused.
    BertScoreOptions o = options(dir);
    o.layer = 1;
    BertScorer scorer(o);
    scorer.score(corpus.hyps, corpus.refs);
    EXPECT_EQ(scorer.stats().from_cache, 0u);
  }
}

// A long-running server scores new texts for ever: the embeddings kept in memory between calls
// are bounded by memory_limit_bytes, and forgetting them changes no value.
TEST_F(BertScoreTest, MemoryOfEmbeddingsIsBoundedAcrossCalls) {
  const std::string dir = tmp_.file("bert");
  ASSERT_TRUE(make_bertscore_folder(dir, "bert"));
  const Corpus corpus = test_corpus();
  BertScoreOptions o = options(dir);
  o.no_cache = true;  // only the memory can spare a forward pass here
  {
    BertScorer scorer(o);  // the default limit (2 GiB) holds this corpus
    const auto first = scorer.score(corpus.hyps, corpus.refs);
    const std::size_t computed = scorer.stats().computed;
    EXPECT_GT(computed, 10u);
    scorer.score(corpus.hyps, corpus.refs);
    EXPECT_EQ(scorer.stats().computed, computed);  // nothing new ran through the model
    EXPECT_EQ(scorer.stats().forgotten, 0u);
  }
  o.memory_limit_bytes = 1;  // every call finds the memory over the limit
  BertScorer scorer(o);
  const auto first = scorer.score(corpus.hyps, corpus.refs);
  const std::size_t computed = scorer.stats().computed;
  const auto again = scorer.score(corpus.hyps, corpus.refs);
  EXPECT_EQ(scorer.stats().computed, 2 * computed);
  EXPECT_EQ(scorer.stats().forgotten, computed);
  ASSERT_EQ(again.samples.size(), first.samples.size());
  for (std::size_t i = 0; i < first.samples.size(); ++i) {
    EXPECT_EQ(again.samples[i].precision, first.samples[i].precision);
    EXPECT_EQ(again.samples[i].recall, first.samples[i].recall);
    EXPECT_EQ(again.samples[i].f1, first.samples[i].f1);
  }
  const auto embedded = scorer.embed({corpus.hyps[0]});  // embed() is bounded the same way
  EXPECT_EQ(scorer.stats().forgotten, 2 * computed);
  ASSERT_EQ(embedded.size(), 1u);
  EXPECT_FALSE(embedded[0].rows.empty());
}

TEST_F(BertScoreTest, SeveralReferencesTakeEachMaximumAndReportTheBestF1) {
  const std::string dir = tmp_.file("distilbert");
  ASSERT_TRUE(make_bertscore_folder(dir, "distilbert"));
  BertScoreOptions o = options(dir);
  o.no_cache = true;
  BertScorer scorer(o);
  const std::string hyp = "Small left pleural effusion.";
  const std::vector<std::string> refs = {"Heart size is normal.", hyp, "No acute process."};
  const auto multi = scorer.score({hyp}, {refs});
  double p = -1, r = -1, f = -1;
  for (const auto& ref : refs) {
    const auto single = scorer.score({hyp}, {{ref}});
    p = std::max(p, single.precision);
    r = std::max(r, single.recall);
    f = std::max(f, single.f1);
  }
  EXPECT_DOUBLE_EQ(multi.samples[0].precision, p);
  EXPECT_DOUBLE_EQ(multi.samples[0].recall, r);
  EXPECT_DOUBLE_EQ(multi.samples[0].f1, f);
  EXPECT_EQ(multi.samples[0].reference, 1u);
  EXPECT_NEAR(multi.samples[0].f1, 1.0, 1e-6);  // identical texts
}

TEST_F(BertScoreTest, SignaturesNameEveryConvention) {
  const std::string dir = tmp_.file("roberta-large");
  ASSERT_TRUE(make_bertscore_folder(
      dir, "roberta",
      {"--layers", "24", "--hidden", "16", "--heads", "2", "--intermediate", "16"}));
  BertScoreOptions o = options(dir);
  o.layer = -1;
  o.model_name = "roberta-large";
  o.rescale = true;
  BertScorer scorer(o);
  EXPECT_EQ(scorer.layer(), 17);  // bert_score's model2layers
  const auto sigs = scorer.signatures();
  ASSERT_EQ(sigs.size(), 3u);
  const std::string f1 = sigs[2].format();
  // Fields in rrg's fixed signature order (signature.h).
  EXPECT_EQ(f1.rfind("BERTScore_F1|model:roberta-large|layer:17|tok:bpe-max40|weights:sha256-", 0),
            0u)
      << f1;
  EXPECT_NE(f1.find("|idf:no|rescaled:yes|baseline:bert_score-0.3.13|"), std::string::npos) << f1;
  EXPECT_NE(f1.find("|dtype:fp32|version:"), std::string::npos) << f1;
  const auto result = scorer.score({"The lungs are clear."}, {{"The lungs are clear."}});
  // Identical texts: raw F1 = 1, rescaled (1 - b) / (1 - b) = 1.
  EXPECT_NEAR(result.f1, 1.0, 1e-6);
}

std::string construction_error(BertScoreOptions o) {
  try {
    BertScorer scorer(std::move(o));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST_F(BertScoreTest, ErrorsSayWhatToPass) {
  const std::string dir = tmp_.file("bert");
  ASSERT_TRUE(make_bertscore_folder(dir, "bert"));
  BertScoreOptions o = options(dir);
  o.layer = -1;
  std::string e = construction_error(o);
  EXPECT_NE(e.find("no default layer for model \"rrg-test-bert\"; pass --bertscore-layer"),
            std::string::npos)
      << e;
  o.layer = 9;
  e = construction_error(o);
  EXPECT_NE(e.find("layer 9 requested"), std::string::npos) << e;
  o.layer = 1;
  o.rescale = true;
  e = construction_error(o);
  EXPECT_NE(e.find("ships no baseline for model \"rrg-test-bert\""), std::string::npos) << e;
  EXPECT_NE(e.find("--bertscore-baseline"), std::string::npos) << e;
  o.baseline_file = tmp_.file("short.tsv");
  write_file(o.baseline_file, "LAYER,P,R,F\n0,0.1,0.1,0.1\n");
  e = construction_error(o);
  EXPECT_NE(e.find("no baseline row for layer 1"), std::string::npos) << e;
  BertScoreOptions none;
  none.model_dir = tmp_.file("absent");
  EXPECT_NE(construction_error(none).find("no such folder"), std::string::npos);
  std::filesystem::remove(dir + "/vocab.txt");
  e = construction_error(options(dir));
  EXPECT_NE(e.find("needs vocab.txt"), std::string::npos) << e;
}

}  // namespace
}  // namespace rrg::testing
