// The image-encoder flags of `rrg generate` (--encoder, --encoder-labels, --encoder-only, ...),
// mapped onto rrg::pipelines::ImageEncoderOptions. docs/encoder.md explains them.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "rrg/pipelines/generate_prompt.h"
#include "rrg/pipelines/image_encoder.h"

namespace rrg::cli {

struct EncoderFlags {
  std::string model;
  std::string labels;
  double threshold = 0.5;
  int size = 224;
  std::string resize = "crop";
  std::string normalize = "xrv";
  int channels = 0;
  std::string activation = "sigmoid";
  int threads = 0;
  bool only = false;
};

// Adds the flags to `cmd` (group "Image encoder"); every --encoder-* flag needs --encoder.
void add_encoder_flags(CLI::App& cmd, EncoderFlags& flags);

// The encoder options; `depth16` is generate's --depth16 mapping.
pipelines::ImageEncoderOptions encoder_options(const EncoderFlags& flags,
                                               image::Depth16Mapping depth16);

// InputError unless --encoder comes with --encoder-labels (checked before anything loads).
void require_encoder_labels(const EncoderFlags& flags);

// With --encoder, a prompt of the user's must place the hints: a silent encoder run whose output
// never reaches the model would only cost time. (The built-in prompt gains them by itself.)
// InputError naming the prompt's source otherwise.
void check_prompt_uses_hints(const pipelines::GeneratePromptOptions& prompt);

}  // namespace rrg::cli
