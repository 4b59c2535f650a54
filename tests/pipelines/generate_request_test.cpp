// The messages of a generate request: part shapes, URL pass-through, order and system turn.
#include "rrg/pipelines/generate_request.h"

#include <gtest/gtest.h>

#include "image/image_fixtures.h"
#include "rrg/core/errors.h"
#include "rrg/image/data_url.h"
#include "rrg/image/image_reader.h"
#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::pipelines::RequestImageOptions;

TEST(GenerateRequest, ImagePartShapes) {
  RequestImageOptions options;
  EXPECT_EQ(rrg::pipelines::image_part("data:x", options),
            (json{{"type", "image_url"}, {"image_url", {{"url", "data:x"}}}}));
  options.detail = "high";
  EXPECT_EQ(rrg::pipelines::image_part("data:x", options),
            (json{{"type", "image_url"}, {"image_url", {{"url", "data:x"}, {"detail", "high"}}}}));
  options.url_style = rrg::pipelines::ImageUrlStyle::kString;
  EXPECT_EQ(rrg::pipelines::image_part("data:x", options),
            (json{{"type", "image_url"}, {"image_url", "data:x"}}));
  EXPECT_THROW(rrg::pipelines::parse_image_url_style("url"), rrg::InputError);
}

TEST(GenerateRequest, MessagesHoldImagesThenText) {
  rrg::testing::TempDir dir;
  const auto source = rrg::testing::pattern_image(20, 10, 1, 8, 255);
  rrg::testing::write_image_file(dir.file("a.png"), source);
  rrg::io::Study study;
  study.id = "s";
  study.images = {{dir.file("a.png"), "PA", "a"}, {"https://example.org/b.jpg", "", "b"}};
  rrg::pipelines::GeneratePromptOptions prompt_options;
  prompt_options.template_text = "Views: {views}";
  const rrg::pipelines::GeneratePrompt prompt(prompt_options);
  RequestImageOptions options;
  options.preprocess.encoding = rrg::image::ImageEncoding::kPng;
  const json messages = rrg::pipelines::build_study_messages(study, prompt, options);
  ASSERT_EQ(messages.size(), 1u);  // no system message without --system
  const json& content = messages[0]["content"];
  ASSERT_EQ(content.size(), 3u);
  const auto decoded = rrg::image::decode_image(
      rrg::image::parse_data_url(content[0]["image_url"]["url"].get<std::string>()).bytes, "url");
  EXPECT_EQ(decoded.data, source.data);
  EXPECT_EQ(content[1]["image_url"]["url"], "https://example.org/b.jpg");  // passed through
  EXPECT_EQ(content[2], (json{{"type", "text"}, {"text", "Views: PA"}}));

  study.images.push_back({dir.file("missing.png"), "", "m"});
  EXPECT_THROW(rrg::pipelines::build_study_messages(study, prompt, options),
               rrg::image::ImageError);
}

}  // namespace
