// BERTScore rescaling baselines (see baselines.h) and the files rrg ships.
//
// Origin of the shipped tables: github.com/Tiiiger/bert_score at v0.3.13 (commit
// dbcf6db37e8bd6ff68446f06b0ba5d0763b62d20), MIT licence, files
// bert_score/rescale_baseline/en/<model>.tsv and, for SciBERT, rescale_baseline/en-sci/allenai/
// scibert_scivocab_uncased.tsv (the language bert_score selects for that model); copied verbatim.
#include "rrg/metrics/bertscore/baselines.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "rrg/core/errors.h"

namespace rrg::metrics::bertscore {
namespace {

struct ShippedBaseline {
  const char* model;
  const char* file;  // path in bert_score's repository
  const char* text;
};

// clang-format off
const ShippedBaseline kShipped[] = {
    {"roberta-large", "bert_score/rescale_baseline/en/roberta-large.tsv", R"(
LAYER,P,R,F
0,0.3712891,0.37132213,0.36826715
1,0.67176163,0.6717439,0.6703483
2,0.70031923,0.7003052,0.69969934
3,0.7080897,0.7081011,0.707698
4,0.6976306,0.69762677,0.69710517
5,0.7187199,0.71873325,0.71828526
6,0.74678195,0.74678224,0.74642223
7,0.7772428,0.7772184,0.77691925
8,0.8021733,0.8021747,0.8019093
9,0.8067641,0.80678225,0.8065291
10,0.8366976,0.8367098,0.8364913
11,0.8163513,0.816369,0.8161064
12,0.8175406,0.8175611,0.81728977
13,0.82106245,0.8210674,0.82080233
14,0.81487834,0.8148861,0.8145652
15,0.8243552,0.8243522,0.8240494
16,0.8341641,0.8341684,0.833912
17,0.83150584,0.8314941,0.83122575
18,0.8314624,0.83146274,0.8311686
19,0.82761073,0.8276117,0.8273196
20,0.799873,0.79988,0.79956234
21,0.8082163,0.80819315,0.8079286
22,0.83196104,0.83195347,0.83174026
23,0.8408042,0.8408027,0.8405716
24,0.96022236,0.96021587,0.960168
)"},
    {"roberta-base", "bert_score/rescale_baseline/en/roberta-base.tsv", R"(
LAYER,P,R,F
0,0.4043224,0.40432808,0.40218553
1,0.6423126,0.6422804,0.6414617
2,0.768273,0.7682535,0.76791227
3,0.7803166,0.78030443,0.7800415
4,0.7839782,0.78397924,0.7836174
5,0.7959116,0.7959033,0.79557085
6,0.80936664,0.80936354,0.80908644
7,0.81720984,0.81721514,0.816965
8,0.80465585,0.80464727,0.8043641
9,0.7911581,0.79115206,0.7908595
10,0.8146725,0.8146619,0.814463
11,0.8243949,0.8244051,0.82420003
12,0.8557132,0.85571885,0.8555707
)"},
    {"distilroberta-base", "bert_score/rescale_baseline/en/distilroberta-base.tsv", R"(
LAYER,P,R,F
0,0.42608285,0.4272089,0.42462298
1,0.7367886,0.7370362,0.736573
2,0.79922664,0.799593,0.7991632
3,0.8329021,0.8333321,0.83291864
4,0.8442,0.84462386,0.84425896
5,0.84732,0.84759504,0.8473319
6,0.89334005,0.8935088,0.8933471
)"},
    {"bert-base-uncased", "bert_score/rescale_baseline/en/bert-base-uncased.tsv", R"(
LAYER,P,R,F
0,0.3231512,0.32322776,0.31853873
1,0.32517454,0.32522815,0.32197207
2,0.3708038,0.37080705,0.36834884
3,0.36287847,0.36286885,0.36059204
4,0.3786389,0.37860426,0.3767926
5,0.4018232,0.401791,0.40032896
6,0.38439456,0.38434005,0.38282546
7,0.37114623,0.3710986,0.36949417
8,0.37231025,0.37226102,0.37049443
9,0.35375935,0.3537393,0.35219112
10,0.38161838,0.3816211,0.37991408
11,0.4421448,0.4421776,0.44040316
12,0.40192786,0.40191513,0.40038353
)"},
    {"bert-large-uncased", "bert_score/rescale_baseline/en/bert-large-uncased.tsv", R"(
LAYER,P,R,F
0,0.33945993,0.33952734,0.3353803
1,0.46529758,0.46534532,0.4629573
2,0.5190359,0.51904607,0.5170987
3,0.55551875,0.5555247,0.5540426
4,0.47806495,0.4780755,0.47663376
5,0.39333034,0.3933407,0.391598
6,0.30678865,0.30683848,0.30446944
7,0.40164435,0.40167126,0.39997557
8,0.44429466,0.4443099,0.44277325
9,0.5114804,0.5114661,0.5102474
10,0.53322667,0.5332073,0.5323144
11,0.56793964,0.56791747,0.56725395
12,0.56360143,0.5635814,0.5629889
13,0.5358492,0.5358346,0.53522795
14,0.42079058,0.42078197,0.41975206
15,0.3509417,0.3509411,0.34957188
16,0.4534342,0.45341223,0.45231807
17,0.46370843,0.46370083,0.46265444
18,0.4278576,0.42786714,0.42646673
19,0.38974905,0.3897353,0.3877319
20,0.3966205,0.3966191,0.3942883
21,0.4981153,0.49813268,0.4955151
22,0.5868029,0.58685154,0.584482
23,0.7136535,0.7137033,0.7118858
24,0.5152624,0.5152391,0.5146088
)"},
    {"distilbert-base-uncased", "bert_score/rescale_baseline/en/distilbert-base-uncased.tsv", R"(
LAYER,P,R,F
0,0.2884445,0.2884457,0.28333962
1,0.39316687,0.3931663,0.39123002
2,0.42905498,0.4290923,0.42735597
3,0.5222444,0.52227175,0.52129734
4,0.6019937,0.6019904,0.6014007
5,0.6666034,0.66660464,0.66620487
6,0.51401854,0.51404256,0.5131456
)"},
    {"allenai/scibert_scivocab_uncased", "bert_score/rescale_baseline/en-sci/allenai/scibert_scivocab_uncased.tsv", R"(
LAYER,P,R,F
0,0.3247314,0.32477322,0.32055983
1,0.34701017,0.34706187,0.344079
2,0.41985375,0.41988486,0.4179418
3,0.4668236,0.46684003,0.4656058
4,0.45860615,0.4586492,0.4573681
5,0.41228917,0.4123522,0.41066456
6,0.4395095,0.43956795,0.43794444
7,0.48392966,0.4839865,0.48246792
8,0.5335945,0.5336341,0.5322364
9,0.60744065,0.6074917,0.60612226
10,0.66027635,0.66033924,0.65897125
11,0.6890247,0.6891011,0.6878515
12,0.54997945,0.55007255,0.54844016
)"},
};
// clang-format on

constexpr const char* kShippedVersion = "bert_score-0.3.13";

bool parse_number(std::string_view field, double& out) {
  const std::string s(field);
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

std::vector<std::string_view> split_commas(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> parse_baseline_table(std::string_view text,
                                                      const std::string& path) {
  std::vector<std::vector<double>> rows;
  std::size_t line_no = 0, start = 0;
  bool header = true;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto fields = split_commas(line);
    if (header) {
      if (fields.size() != 4 || fields[1] != "P" || fields[2] != "R" || fields[3] != "F") {
        throw InputError(location_message(path, line_no, 0,
                                          "expected the header LAYER,P,R,F of a bert_score "
                                          "rescale_baseline file"));
      }
      header = false;
      continue;
    }
    std::vector<double> row(3);
    double layer = 0;
    if (fields.size() != 4 || !parse_number(fields[0], layer) || !parse_number(fields[1], row[0]) ||
        !parse_number(fields[2], row[1]) || !parse_number(fields[3], row[2])) {
      throw InputError(location_message(path, line_no, 0, "expected LAYER,P,R,F numbers"));
    }
    rows.push_back(row);
  }
  if (header) throw InputError(path + ": empty baseline file (expected LAYER,P,R,F rows)");
  return rows;
}

std::optional<std::string_view> shipped_baseline(std::string_view model_name) {
  for (const ShippedBaseline& b : kShipped) {
    if (model_name == b.model) return std::string_view(b.text);
  }
  return std::nullopt;
}

std::vector<std::string> shipped_baseline_models() {
  std::vector<std::string> out;
  for (const ShippedBaseline& b : kShipped) out.emplace_back(b.model);
  return out;
}

Baseline load_baseline(const std::string& file, const std::string& model_name, int layer) {
  std::string text, source;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file + ": cannot read the BERTScore baseline file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    source = file;
  } else {
    const ShippedBaseline* found = nullptr;
    for (const ShippedBaseline& b : kShipped) {
      if (model_name == b.model) found = &b;
    }
    if (found == nullptr) {
      std::string known;
      for (const ShippedBaseline& b : kShipped)
        known += (known.empty() ? "" : ", ") + std::string(b.model);
      throw InputError("BERTScore rescaling: rrg ships no baseline for model \"" + model_name +
                       "\" (it has: " + known +
                       "); pass bert_score's rescale_baseline file with --bertscore-baseline");
    }
    text = found->text;
    const std::string f = found->file;
    source = std::string(kShippedVersion) + ":" + f.substr(f.find("rescale_baseline/") + 17);
  }
  const auto rows = parse_baseline_table(text, source);
  if (layer < 0 || static_cast<std::size_t>(layer) >= rows.size()) {
    throw InputError(source + ": no baseline row for layer " + std::to_string(layer) + " (it has " +
                     std::to_string(rows.size()) + " rows, layers 0.." +
                     std::to_string(rows.size() - 1) + ")");
  }
  Baseline b;
  // bert_score: torch.from_numpy(...).float() -- the values are used as float32.
  b.precision = static_cast<float>(rows[layer][0]);
  b.recall = static_cast<float>(rows[layer][1]);
  b.f1 = static_cast<float>(rows[layer][2]);
  b.source = source;
  return b;
}

}  // namespace rrg::metrics::bertscore
