// Prompts of `rrg generate`: default, study prompts, templates and the hints seam.
#include "rrg/pipelines/generate_prompt.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"

namespace {

using rrg::pipelines::GeneratePrompt;
using rrg::pipelines::GeneratePromptOptions;

rrg::io::Study study_with(std::string prompt) {
  rrg::io::Study s;
  s.id = "s1";
  s.images = {{"a.jpg", "PA", "a"}, {"b.jpg", "", "b"}, {"c.jpg", "LATERAL", "c"}};
  s.indication = "Fever.";
  s.prompt = std::move(prompt);
  return s;
}

TEST(GeneratePrompt, DefaultAndStudyPrompts) {
  const GeneratePrompt prompt(GeneratePromptOptions{});
  EXPECT_EQ(prompt.user_text(study_with("")), rrg::pipelines::default_findings_prompt());
  EXPECT_NE(rrg::pipelines::default_findings_prompt().find("FINDINGS"), std::string::npos);
  // A question file's own prompt wins over the default template, verbatim (braces included).
  EXPECT_EQ(prompt.user_text(study_with("Describe {this}.")), "Describe {this}.");
  EXPECT_EQ(prompt.system(), "");
}

TEST(GeneratePrompt, TemplateWithPlaceholders) {
  GeneratePromptOptions options;
  options.template_text = "Views: {views}. Indication: {indication}";
  options.override_study_prompts = true;
  options.system = "You are a radiologist.";
  const GeneratePrompt prompt(options);
  EXPECT_EQ(prompt.user_text(study_with("ignored")), "Views: PA, LATERAL. Indication: Fever.");
  EXPECT_EQ(prompt.system(), "You are a radiologist.");
}

class FixedHints : public rrg::pipelines::FindingsHintsProvider {
 public:
  std::string hints(const rrg::io::Study& study) override { return "Cardiomegaly for " + study.id; }
};

TEST(GeneratePrompt, FindingsHintsComeFromTheProvider) {
  GeneratePromptOptions options;
  options.template_text = "Hints: {findings_hints}";
  options.template_source = "prompt.txt";
  EXPECT_THROW(GeneratePrompt{options}, rrg::InputError);
  try {
    GeneratePrompt{options};
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("prompt.txt: the prompt uses {findings_hints}"),
              std::string::npos)
        << e.what();
  }
  FixedHints hints;
  const GeneratePrompt prompt(options, &hints);
  EXPECT_EQ(prompt.user_text(study_with("")), "Hints: Cardiomegaly for s1");
  // Without a template of the user's, a provider switches to the grounded default prompt.
  const GeneratePrompt grounded(GeneratePromptOptions{}, &hints);
  EXPECT_EQ(grounded.user_text(study_with("")),
            rrg::pipelines::default_findings_prompt() +
                " An image classifier run on the frontal image suggests these findings, with its "
                "probabilities: Cardiomegaly for s1. Treat them as hints to verify against the "
                "image, not as facts.");
}

TEST(GeneratePrompt, UnknownPlaceholderFailsUpFront) {
  GeneratePromptOptions options;
  options.template_text = "{indications}";
  EXPECT_THROW(GeneratePrompt{options}, rrg::InputError);
}

}  // namespace
