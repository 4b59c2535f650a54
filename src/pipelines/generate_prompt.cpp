// Prompts for `rrg generate` (see generate_prompt.h).
#include "rrg/pipelines/generate_prompt.h"

#include "rrg/core/errors.h"

namespace rrg::pipelines {

const std::vector<std::string>& generate_prompt_placeholders() {
  static const std::vector<std::string> names = {"indication", "views", "findings_hints"};
  return names;
}

const std::string& default_findings_prompt() {
  static const std::string prompt =
      "You are an expert radiologist. Look at the chest X-ray image(s) of this study and write "
      "the FINDINGS section of the radiology report: describe the lungs, pleura, heart, "
      "mediastinum, bones and any support devices in concise clinical prose, as a radiologist "
      "would dictate it. Write only the findings, without a heading, an indication or an "
      "impression.";
  return prompt;
}

const std::string& default_grounded_findings_prompt() {
  static const std::string prompt =
      default_findings_prompt() +
      " An image classifier run on the frontal image suggests these findings, with its "
      "probabilities: {findings_hints}. Treat them as hints to verify against the image, not as "
      "facts.";
  return prompt;
}

namespace {

const std::string& template_text_for(const GeneratePromptOptions& options,
                                     const FindingsHintsProvider* hints) {
  if (!options.template_text.empty()) return options.template_text;
  return hints != nullptr ? default_grounded_findings_prompt() : default_findings_prompt();
}

}  // namespace

GeneratePrompt::GeneratePrompt(const GeneratePromptOptions& options, FindingsHintsProvider* hints)
    : template_(template_text_for(options, hints), generate_prompt_placeholders(),
                options.template_source),
      override_study_prompts_(options.override_study_prompts),
      system_(options.system),
      hints_(hints) {
  if (template_.uses("findings_hints") && hints_ == nullptr) {
    throw InputError(options.template_source +
                     ": the prompt uses {findings_hints}, which needs an image encoder to fill "
                     "it (--encoder MODEL.pt --encoder-labels LABELS.txt)");
  }
}

std::string GeneratePrompt::user_text(const io::Study& study) const {
  if (!study.prompt.empty() && !override_study_prompts_) return study.prompt;
  std::map<std::string, std::string> values = {{"indication", study.indication},
                                               {"views", io::known_views(study)}};
  if (template_.uses("findings_hints")) values["findings_hints"] = hints_->hints(study);
  return template_.render(values);
}

}  // namespace rrg::pipelines
