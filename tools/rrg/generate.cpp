// `rrg generate` (see generate.h): resolves the flags into pipelines::GenerateOptions and the
// study list (same study flags as `rrg merge`), then runs the generator under a progress bar,
// with Ctrl-C / SIGTERM cancelling cleanly (the journal keeps every finished record).
#include "generate.h"

#include <cmath>
#include <iostream>
#include <memory>

#include "encoder_flags.h"
#include "job_runner.h"
#include "llm_flags.h"
#include "rrg/core/errors.h"
#include "rrg/image/image_module.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/report_file.h"
#include "rrg/io/shard.h"
#include "rrg/llm/api_key.h"
#include "rrg/llm/server_options.h"
#include "rrg/pipelines/encode_studies.h"
#include "rrg/pipelines/generate.h"
#include "rrg/pipelines/image_encoder.h"
#include "rrg/text/prompt_template.h"
#include "study_flags.h"

namespace rrg::cli {
namespace {

struct GenerateFlags {
  StudyFlags studies;
  std::string shard;
  // Server and sampling flags, shared with the llm labeler (llm_flags.h).
  llm::ServerOptions llm;
  std::string output;
  bool overwrite = false;
  bool resume = false;
  std::string format = "jsonl";
  std::string seed_output;
  std::string prompt;
  std::string prompt_file;
  std::string system;
  image::PreprocessOptions image;
  std::string image_format = "jpeg";
  std::string depth16 = "minmax";
  std::string image_url = "object";
  std::string image_detail;
  int image_threads = 0;
  double log_interval_s = 10;
  EncoderFlags encoder;
};

// "run.jsonl" -> "run.seed.json".
std::string default_seed_path(const std::string& output) {
  const std::string suffix = ".jsonl";
  std::string base = output;
  if (base.size() > suffix.size() &&
      base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0) {
    base.resize(base.size() - suffix.size());
  }
  return base + ".seed.json";
}

pipelines::GenerateOptions resolve(const GenerateFlags& f) {
  if (f.output.empty())
    throw InputError("generate needs -o FILE.jsonl (see `rrg generate --help`)");
  if (!f.prompt.empty() && !f.prompt_file.empty()) {
    throw InputError("give the prompt either with --prompt or with --prompt-file, not both");
  }
  pipelines::GenerateOptions o;
  const llm::ServerOptions& l = f.llm;
  o.client = llm::client_options_from(l, "generate");
  if (!l.no_cache) o.cache_path = l.cache_path.empty() ? io::default_cache_path() : l.cache_path;
  o.keep_reasoning = l.keep_reasoning;

  o.images.preprocess = f.image;
  o.images.preprocess.encoding = image::parse_image_encoding(f.image_format);
  o.images.preprocess.depth16 = image::parse_depth16_mapping(f.depth16);
  o.images.url_style = pipelines::parse_image_url_style(f.image_url);
  o.images.detail = f.image_detail;

  o.prompt.system = f.system;
  if (!f.prompt_file.empty()) {
    o.prompt.template_text = io::read_text_file(f.prompt_file);
    o.prompt.template_source = f.prompt_file;
    o.prompt.override_study_prompts = true;
  } else if (!f.prompt.empty()) {
    o.prompt.template_text = f.prompt;
    o.prompt.template_source = "--prompt";
    o.prompt.override_study_prompts = true;
  }

  o.output = f.output;
  o.overwrite = f.overwrite;
  if (!f.seed_output.empty()) {
    o.seed_output = f.seed_output;
  } else if (f.format == "seed") {
    o.seed_output = default_seed_path(f.output);
  }
  o.prepare_threads = f.image_threads;
  o.on_message = [](const std::string& text) { std::cerr << "rrg: " << text << "\n"; };
  return o;
}

// Ends a run that was interrupted or left failed studies with an error (exit status 1) saying
// what the output keeps and how to go on.
void fail_if_incomplete(bool cancelled, std::size_t failed, const std::string& output) {
  if (cancelled) {
    throw std::runtime_error("interrupted; " + output +
                             " keeps every finished record: run the same command again to resume");
  }
  if (failed > 0) {
    throw std::runtime_error(std::to_string(failed) + " stud" + (failed == 1 ? "y" : "ies") +
                             " failed (see the \"error\" field of their records in " + output +
                             "); run the same command again to retry them");
  }
}

// --encoder-only: the encoder's probabilities per study, no language model.
void run_encoder_only(const GenerateFlags& flags) {
  require_encoder_labels(flags.encoder);
  if (flags.output.empty()) {
    throw InputError("generate --encoder-only needs -o FILE.jsonl (see `rrg generate --help`)");
  }
  if (flags.format == "seed" || !flags.seed_output.empty()) {
    throw InputError(
        "--encoder-only writes probabilities, not reports: --format seed and "
        "--seed-output do not apply");
  }
  JobRunner runner;
  const io::ShardSpec shard =
      flags.shard.empty() ? io::ShardSpec{} : io::parse_shard_spec(flags.shard);
  const std::vector<io::Study> studies = load_selected_studies(flags.studies, shard);
  image::load_image_module();
  pipelines::ImageEncoder encoder(
      encoder_options(flags.encoder, image::parse_depth16_mapping(flags.depth16)));
  pipelines::EncodeOptions options;
  options.output = flags.output;
  options.overwrite = flags.overwrite;
  options.threads = flags.image_threads;
  options.on_message = [](const std::string& text) { std::cerr << "rrg: " << text << "\n"; };
  pipelines::StudyEncoder study_encoder(std::move(options), encoder);
  std::cerr << "rrg generate --encoder-only: " << studies.size() << " stud"
            << (studies.size() == 1 ? "y" : "ies")
            << (shard.count > 1 ? " in shard " + io::format_shard_spec(shard) : "") << "\n";
  pipelines::EncodeSummary summary;
  runner.run(
      study_encoder, "encode", [&] { summary = study_encoder.run(studies); }, false,
      flags.log_interval_s);
  std::cerr << "rrg: " << pipelines::format_summary(summary) << "\n";
  fail_if_incomplete(summary.cancelled, summary.failed, flags.output);
}

void run_generate(const GenerateFlags& flags) {
  if (flags.encoder.only) return run_encoder_only(flags);
  // Before any other thread exists, so that every thread inherits the blocked signals.
  JobRunner runner;

  pipelines::GenerateOptions options = resolve(flags);
  std::unique_ptr<pipelines::ImageEncoder> encoder;
  if (!flags.encoder.model.empty()) {
    require_encoder_labels(flags.encoder);
    check_prompt_uses_hints(options.prompt);
  }
  const io::ShardSpec shard =
      flags.shard.empty() ? io::ShardSpec{} : io::parse_shard_spec(flags.shard);
  const std::vector<io::Study> studies = load_selected_studies(flags.studies, shard);
  // A missing image module would fail every study the same way: say so once, before any request.
  image::load_image_module();
  if (!flags.encoder.model.empty()) {
    encoder = std::make_unique<pipelines::ImageEncoder>(
        encoder_options(flags.encoder, options.images.preprocess.depth16));
  }
  pipelines::Generator generator(std::move(options), encoder.get());
  std::cerr << "rrg generate: " << studies.size() << " stud" << (studies.size() == 1 ? "y" : "ies")
            << (shard.count > 1 ? " in shard " + io::format_shard_spec(shard) : "") << "\n";

  pipelines::GenerateSummary summary;
  runner.run(
      generator, "generate", [&] { summary = generator.run(studies); }, false,
      flags.log_interval_s);
  std::cerr << "rrg: " << pipelines::format_summary(summary) << "\n";
  fail_if_incomplete(summary.cancelled, summary.failed, flags.output);
}

}  // namespace

void setup_generate(CLI::App& app) {
  auto f = std::make_shared<GenerateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Generate reports for chest X-ray studies with a vision-language model");
  cmd->description(
      "Generate one report per study with a vision-language model.\n\n"
      "The model runs behind an OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp,\n"
      "OpenAI). Images are read (JPEG, PNG 8/16-bit,\n"
      "DICOM), converted to 8 bits, resized within --max-side/--max-pixels and sent as data:\n"
      "URLs. Each answer is appended to the output JSONL as it arrives; running the same\n"
      "command again resumes (and retries failed studies). See docs/generate.md.\n\n"
      "With --encoder MODEL.pt --encoder-labels LABELS.txt, a TorchScript chest X-ray\n"
      "classifier runs on each study's frontal image and its findings fill {findings_hints}\n"
      "in your prompt template (the built-in prompt then includes them as hints);\n"
      "--encoder-only writes its probabilities without a language model. See docs/encoder.md.");
  add_study_flags(cmd, f->studies, /*selection=*/true);
  cmd->add_option("--shard", f->shard,
                  "Only shard K of N (K/N, 0-based, by a hash of the id), or 'slurm' to take it "
                  "from SLURM_ARRAY_TASK_ID/_MIN/_COUNT; combine the outputs with `rrg merge`")
      ->type_name("K/N")
      ->group("Studies");

  add_llm_server_flags(*cmd, f->llm, "LLM server");

  const char* out = "Output";
  cmd->add_option("-o,--output", f->output,
                  "Output JSONL, one record per study, appended as answers arrive")
      ->type_name("FILE")
      ->group(out);
  auto* overwrite = cmd->add_flag("--overwrite", f->overwrite,
                                  "Start afresh, discarding the records already in the output")
                        ->group(out);
  cmd->add_flag("--resume", f->resume,
                "Resume an existing output (the default): skip its finished studies, retry its "
                "failed ones")
      ->excludes(overwrite)
      ->group(out);
  cmd->add_option("--format", f->format,
                  "jsonl, or seed to also write the original toolkit's {\"test\": [{\"id\", "
                  "\"output\"}]} to --seed-output (default: OUTPUT with .seed.json)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"jsonl", "seed"}))
      ->capture_default_str()
      ->group(out);
  cmd->add_option("--seed-output", f->seed_output, "Where --format seed writes (implies it)")
      ->type_name("FILE")
      ->group(out);
  cmd->add_option("--log-interval", f->log_interval_s,
                  "Seconds between progress lines when stderr is not a terminal")
      ->type_name("S")
      ->capture_default_str()
      ->group(out);

  const char* prompt = "Prompt";
  cmd->add_option("--prompt", f->prompt,
                  "Prompt template with {indication}, {views}, {findings_hints}; replaces the "
                  "default findings prompt and the studies' own prompts")
      ->type_name("TEXT")
      ->group(prompt);
  cmd->add_option("--prompt-file", f->prompt_file, "Prompt template read from FILE")
      ->type_name("FILE")
      ->check(CLI::ExistingFile)
      ->group(prompt);
  cmd->add_option("--system", f->system, "System message (default: none)")
      ->type_name("TEXT")
      ->group(prompt);

  const char* images = "Images";
  cmd->add_option("--max-side", f->image.max_side, "Longest image side sent, in pixels (0 = any)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(images);
  cmd->add_option("--max-pixels", f->image.max_pixels,
                  "Most pixels per image sent (default: Qwen2.5-VL's 1280*28*28; 0 = any)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(images);
  cmd->add_option("--image-format", f->image_format, "Encoding sent: jpeg or png")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"jpeg", "jpg", "png"}))
      ->capture_default_str()
      ->group(images);
  cmd->add_option("--jpeg-quality", f->image.jpeg_quality, "JPEG quality 1-100")
      ->type_name("Q")
      ->check(CLI::Range(1, 100))
      ->capture_default_str()
      ->group(images);
  cmd->add_option("--depth16", f->depth16,
                  "16-bit PNG to 8 bits: minmax (stretch the image's range) or full (/257)")
      ->type_name("MAPPING")
      ->check(CLI::IsMember({"minmax", "full"}))
      ->capture_default_str()
      ->group(images);
  cmd->add_option("--image-url", f->image_url,
                  "image_url as an object {\"url\": ...} or a bare string (some servers)")
      ->type_name("STYLE")
      ->check(CLI::IsMember({"object", "string"}))
      ->capture_default_str()
      ->group(images);
  cmd->add_option("--image-detail", f->image_detail, "OpenAI image detail: low, high or auto")
      ->type_name("DETAIL")
      ->check(CLI::IsMember({"low", "high", "auto"}))
      ->group(images);
  cmd->add_option("--image-threads", f->image_threads,
                  "Threads reading and encoding images (0 = one per CPU)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(images);
  add_encoder_flags(*cmd, f->encoder);
  cmd->footer(
      "\nExamples:\n"
      "  rrg generate --mimic /data/mimic-cxr-jpg --split test --base-url "
      "http://127.0.0.1:8000/v1 \\\n"
      "      --model Qwen/Qwen2.5-VL-7B-Instruct --concurrency 32 -o qwen_test.jsonl --format "
      "seed\n"
      "  rrg generate --questions questions.json --base-url http://gpu1:8000/v1 --base-url "
      "http://gpu2:8000/v1 \\\n"
      "      --model Qwen/Qwen2.5-VL-7B-Instruct --shard $SLURM_ARRAY_TASK_ID/8 -o "
      "run.shard-$SLURM_ARRAY_TASK_ID.jsonl\n"
      "  rrg generate --studies studies.jsonl --encoder densenet121-all.pt --encoder-labels "
      "xrv18.txt \\\n"
      "      --encoder-activation none --base-url http://127.0.0.1:8000/v1 --model M -o run.jsonl "
      "\\\n"
      "      --prompt 'Classifier findings: {findings_hints}. Write the FINDINGS section.'\n"
      "  rrg generate --studies studies.jsonl --encoder model.pt --encoder-labels labels.txt "
      "--encoder-only -o probs.jsonl\n"
      "\nExit status: 0 every study has a report, 1 some studies failed (their records carry "
      "\"error\"; run again to retry) or the run was interrupted, 2 bad usage or input.");
  cmd->callback([f] { run_generate(*f); });
}

}  // namespace rrg::cli
