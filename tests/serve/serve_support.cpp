// See serve_support.h.
#include "serve_support.h"

#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <regex>
#include <thread>

namespace rrg::testing {
namespace {

std::size_t append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

HttpReply perform(CURL* curl, const std::vector<std::string>& headers) {
  HttpReply reply;
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    char* type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (type != nullptr) reply.content_type = type;
  } else {
    reply.error = curl_easy_strerror(code);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return reply;
}

CURL* start(const std::string& url) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  return curl;
}

}  // namespace

HttpReply http_get(const std::string& url, const std::vector<std::string>& headers) {
  return perform(start(url), headers);
}

HttpReply http_post(const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers) {
  CURL* curl = start(url);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_COPYPOSTFIELDS, body.c_str());
  return perform(curl, headers);
}

HttpReply http_post_form(const std::string& url, const std::vector<MultipartField>& fields,
                         const std::vector<std::string>& headers) {
  CURL* curl = start(url);
  curl_mime* mime = curl_mime_init(curl);
  for (const auto& field : fields) {
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, field.name.c_str());
    curl_mime_data(part, field.content.data(), field.content.size());
    if (!field.filename.empty()) curl_mime_filename(part, field.filename.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
  HttpReply reply = perform(curl, headers);
  curl_mime_free(mime);
  return reply;
}

ServeProcess::ServeProcess(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"serve", "--port", "0"};
  all.insert(all.end(), args.begin(), args.end());
  pid_ = spawn_rrg(all, dir_.file("err.txt"), dir_.file("out.txt"));
  if (pid_ <= 0) return;
  const std::regex listening(R"(listening on http://[^:]+:(\d+)/)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string out =
        file_exists(dir_.file("out.txt")) ? read_file(dir_.file("out.txt")) : "";
    if (std::regex_search(out, match, listening)) {
      port_ = std::stoi(match[1]);
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) stop(SIGKILL);
}

std::string ServeProcess::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

int ServeProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

std::string ServeProcess::log() const {
  return file_exists(dir_.file("err.txt")) ? read_file(dir_.file("err.txt")) : "";
}

}  // namespace rrg::testing
