// `rrg generate`'s image-encoder flags (see encoder_flags.h).
#include "encoder_flags.h"

#include "rrg/core/errors.h"
#include "rrg/text/prompt_template.h"

namespace rrg::cli {

void add_encoder_flags(CLI::App& cmd, EncoderFlags& f) {
  const char* group = "Image encoder (grounding, docs/encoder.md)";
  CLI::Option* encoder =
      cmd.add_option("--encoder", f.model,
                     "TorchScript classifier (torch.jit.save, PyTorch <= 1.13) run on each "
                     "study's frontal image (rrg serve: each upload); its observations above "
                     "--encoder-threshold fill {findings_hints} in the prompt. Loads libtorch")
          ->type_name("MODEL.pt")
          ->group(group);
  const auto needs_encoder = [&](CLI::Option* option) { option->needs(encoder)->group(group); };
  needs_encoder(cmd.add_option("--encoder-labels", f.labels,
                               "Observation names of the model's outputs, one per line in "
                               "output order (blank line = output ignored); required")
                    ->type_name("FILE"));
  needs_encoder(cmd.add_option("--encoder-threshold", f.threshold,
                               "Observations with a probability above this go into the hints")
                    ->type_name("P")
                    ->check(CLI::Range(0.0, 1.0))
                    ->capture_default_str());
  needs_encoder(cmd.add_option("--encoder-size", f.size, "Model input is SIZE x SIZE pixels")
                    ->type_name("SIZE")
                    ->check(CLI::Range(1, 4096))
                    ->capture_default_str());
  needs_encoder(cmd.add_option("--encoder-resize", f.resize,
                               "crop: centre square, then resize (torchxrayvision); stretch: "
                               "resize the whole image to a square")
                    ->type_name("MODE")
                    ->check(CLI::IsMember({"crop", "stretch"}))
                    ->capture_default_str());
  needs_encoder(cmd.add_option("--encoder-normalize", f.normalize,
                               "xrv: pixels to [-1024, 1024] (torchxrayvision); imagenet: "
                               "ImageNet mean/std; unit: [0, 1]")
                    ->type_name("NORM")
                    ->check(CLI::IsMember({"xrv", "imagenet", "unit"}))
                    ->capture_default_str());
  needs_encoder(cmd.add_option("--encoder-channels", f.channels,
                               "1 (gray) or 3 (gray repeated); 0 = 3 for imagenet, else 1")
                    ->type_name("N")
                    ->check(CLI::IsMember({0, 1, 3}))
                    ->capture_default_str());
  needs_encoder(cmd.add_option("--encoder-activation", f.activation,
                               "sigmoid: the model outputs logits; none: it outputs "
                               "probabilities (torchxrayvision models with op_threshs)")
                    ->type_name("ACT")
                    ->check(CLI::IsMember({"sigmoid", "none"}))
                    ->capture_default_str());
  needs_encoder(cmd.add_option("--encoder-threads", f.threads,
                               "libtorch threads for the encoder (0 = one per CPU)")
                    ->type_name("N")
                    ->check(CLI::NonNegativeNumber)
                    ->capture_default_str());
  needs_encoder(cmd.add_flag("--encoder-only", f.only,
                             "Only the encoder's probabilities and hints, without a language "
                             "model (no --base-url/--model needed; rrg serve: no generation)"));
}

pipelines::ImageEncoderOptions encoder_options(const EncoderFlags& f,
                                               image::Depth16Mapping depth16) {
  pipelines::ImageEncoderOptions o;
  o.model_path = f.model;
  o.labels_path = f.labels;
  o.threshold = f.threshold;
  o.input.size = f.size;
  o.input.square = image::parse_square_mode(f.resize);
  o.input.depth16 = depth16;
  o.normalization = pipelines::parse_encoder_normalization(f.normalize);
  o.channels = f.channels;
  o.activation = pipelines::parse_encoder_activation(f.activation);
  o.threads = f.threads;
  return o;
}

void require_encoder_labels(const EncoderFlags& f) {
  if (!f.model.empty() && f.labels.empty()) {
    throw InputError(
        "--encoder needs --encoder-labels FILE (the model's observation names, one per line; "
        "see docs/encoder.md)");
  }
}

void check_prompt_uses_hints(const pipelines::GeneratePromptOptions& prompt) {
  if (prompt.template_text.empty()) return;
  const text::PromptTemplate parsed(prompt.template_text, pipelines::generate_prompt_placeholders(),
                                    prompt.template_source);
  if (!parsed.uses("findings_hints")) {
    throw InputError(
        prompt.template_source +
        ": with --encoder the prompt must use {findings_hints}, or the encoder's findings would "
        "reach no request; add {findings_hints} to it, leave out --prompt/--prompt-file to use the "
        "built-in prompt with hints, or use --encoder-only");
  }
}

}  // namespace rrg::cli
