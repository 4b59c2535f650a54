// The torch-free parts of the image encoder (rrg/pipelines/image_encoder.h): the labels file,
// the frontal-image choice, the normalisations and the hints text.
#include <gtest/gtest.h>

#include <cmath>

#include "rrg/core/errors.h"
#include "rrg/pipelines/image_encoder.h"
#include "support/test_support.h"

namespace rrg::pipelines {
namespace {

using rrg::testing::TempDir;
using rrg::testing::write_file;

io::Study study_with(std::vector<std::pair<std::string, std::string>> images) {
  io::Study study;
  study.id = "s";
  for (auto& [path, view] : images) study.images.push_back({path, view, ""});
  return study;
}

TEST(EncoderLabels, BlankLinesAreUnnamedOutputs) {
  TempDir dir;
  write_file(dir.file("l.txt"),
             "\xEF\xBB\xBF"
             "Atelectasis\r\n\n  Cardiomegaly \n\nEffusion\n");
  EXPECT_EQ(read_encoder_labels(dir.file("l.txt")),
            (std::vector<std::string>{"Atelectasis", "", "Cardiomegaly", "", "Effusion"}));
  // No final newline: the same outputs.
  write_file(dir.file("m.txt"), "A\n\nB");
  EXPECT_EQ(read_encoder_labels(dir.file("m.txt")), (std::vector<std::string>{"A", "", "B"}));
}

TEST(EncoderLabels, Errors) {
  TempDir dir;
  write_file(dir.file("empty.txt"), "\n\n");
  try {
    read_encoder_labels(dir.file("empty.txt"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("empty.txt: no observation names"), std::string::npos)
        << e.what();
  }
  write_file(dir.file("dup.txt"), "A\nB\nA\n");
  try {
    read_encoder_labels(dir.file("dup.txt"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dup.txt:3: the observation 'A' is listed twice (also "
                                         "line 1)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(read_encoder_labels(dir.file("missing.txt")), InputError);
}

TEST(FrontalImage, PrefersFrontalViewsThenUnknownOnes) {
  EXPECT_EQ(frontal_image(study_with({{"lat.jpg", "LATERAL"}, {"pa.jpg", "PA"}})).path, "pa.jpg");
  EXPECT_EQ(frontal_image(study_with({{"ll.jpg", "LL"}, {"ap.jpg", "ap"}})).path, "ap.jpg");
  EXPECT_EQ(frontal_image(study_with({{"x.jpg", "LL"}, {"f.jpg", "Postero-Anterior"}})).path,
            "f.jpg");
  EXPECT_EQ(frontal_image(study_with({{"x.jpg", "LATERAL"}, {"f.jpg", "frontal"}})).path, "f.jpg");
  // No frontal view known: the first image whose view is unknown.
  EXPECT_EQ(frontal_image(study_with({{"lat.jpg", "LATERAL"}, {"u.jpg", ""}, {"v.jpg", ""}})).path,
            "u.jpg");
  EXPECT_EQ(frontal_image(study_with({{"a.jpg", ""}, {"b.jpg", ""}})).path, "a.jpg");
  try {
    frontal_image(study_with({{"lat.jpg", "LATERAL"}, {"ll.jpg", "LL"}}));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no frontal image for the encoder (views: LATERAL, LL)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(frontal_image(study_with({})), InputError);
}

TEST(EncoderNormalisation, MatchesTheDocumentedFormulas) {
  const std::vector<float> plane = {0.0f, 127.5f, 255.0f, 51.0f};
  const auto xrv = normalize_encoder_input(plane, EncoderNormalization::kXrv, 1);
  ASSERT_EQ(xrv.size(), 4u);
  EXPECT_EQ(xrv[0], -1024.0f);
  EXPECT_EQ(xrv[1], 0.0f);
  EXPECT_EQ(xrv[2], 1024.0f);
  EXPECT_FLOAT_EQ(xrv[3], -614.4f);
  const auto unit = normalize_encoder_input(plane, EncoderNormalization::kUnit, 1);
  EXPECT_FLOAT_EQ(unit[3], 0.2f);
  const auto imagenet = normalize_encoder_input(plane, EncoderNormalization::kImagenet, 3);
  ASSERT_EQ(imagenet.size(), 12u);
  EXPECT_FLOAT_EQ(imagenet[0], -0.485f / 0.229f);              // channel 0, pixel 0
  EXPECT_FLOAT_EQ(imagenet[4 + 2], (1.0f - 0.456f) / 0.224f);  // channel 1, pixel 2
  EXPECT_FLOAT_EQ(imagenet[8 + 3], (0.2f - 0.406f) / 0.225f);  // channel 2, pixel 3
  const auto gray = normalize_encoder_input(plane, EncoderNormalization::kImagenet, 1);
  EXPECT_FLOAT_EQ(gray[0], -0.449f / 0.226f);
  EXPECT_THROW(normalize_encoder_input(plane, EncoderNormalization::kXrv, 2), InputError);
}

TEST(FindingsHints, SortedAboveTheThreshold) {
  const std::vector<Observation> p = {{"Atelectasis", 0.2},
                                      {"Effusion", 0.64},
                                      {"Cardiomegaly", 0.8149},
                                      {"Edema", 0.5},
                                      {"Mass", 0.64}};
  EXPECT_EQ(format_findings_hints(p, 0.5), "Cardiomegaly (0.81); Effusion (0.64); Mass (0.64)");
  EXPECT_EQ(format_findings_hints(p, 0.1),
            "Cardiomegaly (0.81); Effusion (0.64); Mass (0.64); Edema (0.50); Atelectasis (0.20)");
  EXPECT_EQ(format_findings_hints(p, 0.9), "no findings above 0.90");
  EXPECT_EQ(format_findings_hints({}, 0.5), "no findings above 0.50");
}

TEST(EncoderOptions, ParseNames) {
  EXPECT_EQ(parse_encoder_normalization("imagenet"), EncoderNormalization::kImagenet);
  EXPECT_EQ(parse_encoder_activation("none"), EncoderActivation::kNone);
  EXPECT_THROW(parse_encoder_normalization("xray"), InputError);
  EXPECT_THROW(parse_encoder_activation("softmax"), InputError);
  EXPECT_EQ(image::parse_square_mode("stretch"), image::SquareMode::kStretch);
  EXPECT_THROW(image::parse_square_mode("pad"), InputError);
}

}  // namespace
}  // namespace rrg::pipelines
