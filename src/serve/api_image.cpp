// The image routes: /v1/preview (the image as `rrg generate` sends it, for the page) and
// /v1/generate (one study through the image encoder, when configured, and the generate
// pipeline). Uploads are checked by their first
// bytes (JPEG, PNG, DICOM) and written to a private temporary directory that is removed after the
// request; no path comes from the request.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "rrg/image/data_url.h"
#include "rrg/image/image.h"
#include "rrg/image/image_module.h"
#include "rrg/io/report_file.h"
#include "rrg/pipelines/encode_studies.h"
#include "serve_internal.h"

namespace rrg::serve {
namespace {

// ".jpg", ".png" or ".dcm" from the upload's first bytes; RequestError 415 otherwise.
std::string image_extension(const std::string& bytes) {
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) return ".jpg";
  if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1A\n") == 0) return ".png";
  if (bytes.size() >= 132 && bytes.compare(128, 4, "DICM") == 0) return ".dcm";
  throw RequestError(415, "\"image\" is not a JPEG, PNG or DICOM file");
}

// A directory of our own under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/rrg-serve-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("serve: cannot create a temporary directory under " + pattern);
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The upload "image" written to `dir`; returns its path.
std::string save_upload(const httplib::Request& request, const TempDir& dir) {
  if (!request.is_multipart_form_data()) {
    throw RequestError(415, "send multipart/form-data with the file in field \"image\"");
  }
  if (!request.has_file("image")) throw RequestError(422, "multipart field \"image\" is required");
  const std::string bytes = request.get_file_value("image").content;
  const std::string path = dir.path() + "/upload" + image_extension(bytes);
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.good()) throw std::runtime_error("serve: cannot write the upload to " + dir.path());
  return path;
}

// {findings_hints} of the one study a request generates for, computed before the prompt is built
// (so the encoder runs once per upload, and its result also goes into the record).
class FixedHints : public pipelines::FindingsHintsProvider {
 public:
  explicit FixedHints(std::string hints) : hints_(std::move(hints)) {}
  std::string hints(const io::Study&) override { return hints_; }

 private:
  std::string hints_;
};

}  // namespace

void handle_preview(ServeState& state, const httplib::Request& request,
                    httplib::Response& response) {
  const TempDir dir;
  const std::string path = save_upload(request, dir);
  image::PreprocessOptions options = state.options.generate.images.preprocess;
  image::EncodedImage encoded;
  try {
    encoded = image::prepare_image_file_in_module(path, options);
  } catch (const image::ImageError& e) {
    throw RequestError(422, std::string("\"image\": ") + e.what());
  }
  nlohmann::ordered_json body;
  body["data_url"] = image::make_data_url(encoded.mime_type, encoded.bytes);
  body["width"] = encoded.width;
  body["height"] = encoded.height;
  body["source_width"] = encoded.source_width;
  body["source_height"] = encoded.source_height;
  reply_json(response, 200, body.dump());
}

void handle_generate(ServeState& state, const httplib::Request& request,
                     httplib::Response& response) {
  if (!state.options.generation && !state.encoder) {
    throw RequestError(503,
                       "generation needs a model server: start rrg serve with --base-url URL "
                       "--model NAME");
  }
  const TempDir dir;
  io::Study study;
  study.id = "upload";
  study.images.push_back({save_upload(request, dir), "", "upload"});
  if (request.has_file("indication"))
    study.indication = request.get_file_value("indication").content;
  study.origin = "upload";
  const bool stream = request.get_param_value("stream") == "1";

  // The encoder runs once per upload: its hints go into the prompt, its fields into the record.
  nlohmann::ordered_json encoder_fields = nlohmann::ordered_json::object();
  std::unique_ptr<FixedHints> hints;
  if (state.encoder) {
    pipelines::EncoderResult result;
    try {
      result = state.encoder->encode(study);
    } catch (const image::ImageError& e) {
      throw RequestError(422, std::string("\"image\": ") + e.what());
    }
    pipelines::add_encoder_fields(encoder_fields, result, state.encoder->identity());
    hints = std::make_unique<FixedHints>(result.hints);
  }
  if (!state.options.generation) {
    // Encoder only: the record `rrg generate --encoder-only` writes for the upload.
    nlohmann::ordered_json record;
    record["id"] = study.id;
    record["images"] = nlohmann::ordered_json::array({"upload"});
    record.update(encoder_fields);
    if (stream) {
      const std::string events = sse_event("encoder", encoder_fields) + sse_event("record", record);
      response.set_content(events, "text/event-stream");
    } else {
      reply_json(response, 200, record.dump());
    }
    return;
  }
  if (stream) {
    try {
      stream_generation(state.options.generate, study, hints.get(), encoder_fields, response);
    } catch (const image::ImageError& e) {
      throw RequestError(422, std::string("\"image\": ") + e.what());
    }
    return;
  }
  pipelines::GenerateOptions options = state.options.generate;
  options.output = dir.path() + "/record.jsonl";
  options.overwrite = true;
  options.seed_output.clear();
  options.prepare_threads = 1;
  options.on_message = nullptr;
  options.client.concurrency = 1;
  pipelines::Generator generator(std::move(options), hints.get());
  generator.run({study});
  std::ifstream in(dir.path() + "/record.jsonl");
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("serve: generate wrote no record");
  // Ordered: the record's fields stay in the order `rrg generate` writes them.
  nlohmann::ordered_json record = nlohmann::ordered_json::parse(line);
  // The record names the temporary file the upload was saved to; the client knows it as "upload".
  record["images"] = nlohmann::ordered_json::array({"upload"});
  record.update(encoder_fields);
  reply_json(response, record.contains("error") ? 502 : 200, record.dump());
}

}  // namespace rrg::serve
