// The text prompt `rrg generate` sends with a study's images: a template with the placeholders
// {indication}, {views} and {findings_hints}, or the study's own prompt (question files, JSONL
// "prompt"), plus an optional system message.
//
// {findings_hints} is filled by a FindingsHintsProvider, the seam for image-encoder grounding
// (image_encoder.h: a TorchScript classifier run on the frontal image in the libtorch module).
// A template that uses {findings_hints} without a provider is rejected up front.
#pragma once

#include <string>
#include <vector>

#include "rrg/io/datasets/study.h"
#include "rrg/text/prompt_template.h"

namespace rrg::pipelines {

// "indication", "views", "findings_hints".
const std::vector<std::string>& generate_prompt_placeholders();

// The built-in prompt: asks for the FINDINGS section only, in plain prose, as the usual
// report-generation benchmarks (MIMIC-CXR findings, IU X-Ray) score it.
const std::string& default_findings_prompt();

// The built-in prompt when an image encoder is given: default_findings_prompt() followed by the
// classifier's findings ({findings_hints}), presented as suggestions to check against the image.
const std::string& default_grounded_findings_prompt();

// Supplies {findings_hints} for a study, e.g. "Cardiomegaly (0.81); Pleural Effusion (0.64)".
// Called from several worker threads at once. Throwing fails that study only (its record gets
// the error).
class FindingsHintsProvider {
 public:
  virtual ~FindingsHintsProvider() = default;
  virtual std::string hints(const io::Study& study) = 0;
};

struct GeneratePromptOptions {
  // Template text; "" = default_findings_prompt(), or default_grounded_findings_prompt() when
  // a FindingsHintsProvider is given.
  std::string template_text;
  // Names the template in error messages (the --prompt-file path, or "--prompt").
  std::string template_source = "--prompt";
  // When false, a study's own prompt (question file, JSONL "prompt") is used as is instead of
  // the template; the CLI sets it when --prompt or --prompt-file is given.
  bool override_study_prompts = false;
  // System message; "" = none (some VLM chat templates handle a system turn badly).
  std::string system;
};

class GeneratePrompt {
 public:
  // Parses the template. Throws InputError for unknown placeholders, and when the template uses
  // {findings_hints} but `hints` is null.
  explicit GeneratePrompt(const GeneratePromptOptions& options,
                          FindingsHintsProvider* hints = nullptr);

  // The user text for `study`.
  std::string user_text(const io::Study& study) const;

  const std::string& system() const { return system_; }

 private:
  text::PromptTemplate template_;
  bool override_study_prompts_;
  std::string system_;
  FindingsHintsProvider* hints_;
};

}  // namespace rrg::pipelines
