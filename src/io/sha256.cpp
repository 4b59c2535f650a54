// SHA-256 through OpenSSL's EVP interface (see sha256.h). libcrypto is not linked: it is opened
// the first time something is hashed (issue 16: mapping it cost every rrg invocation ~0.5 ms,
// and most never hash anything). OpenSSL's SHA-256 (SHA-NI/AVX2) is kept rather than a
// hand-written one because model files of hundreds of MB are hashed with it.
#include "rrg/io/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/core/module_loader.h"

namespace rrg::io {
namespace {

struct Libcrypto {
  decltype(&::EVP_MD_CTX_new) md_ctx_new;
  decltype(&::EVP_MD_CTX_free) md_ctx_free;
  decltype(&::EVP_sha256) sha256;
  decltype(&::EVP_DigestInit_ex) digest_init;
  decltype(&::EVP_DigestUpdate) digest_update;
  decltype(&::EVP_DigestFinal_ex) digest_final;
};

// libcrypto, opened once (a failed load is remembered and its message repeated).
const Libcrypto& libcrypto() {
  static Libcrypto c{};
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr const char* kSoname = "libcrypto.so.3";
    constexpr const char* kPackage = "libssl3";
    try {
      void* h = open_system_library(kSoname, "SHA-256 (cache keys, model file hashes)", kPackage);
      library_function(h, kSoname, "EVP_MD_CTX_new", kPackage, c.md_ctx_new);
      library_function(h, kSoname, "EVP_MD_CTX_free", kPackage, c.md_ctx_free);
      library_function(h, kSoname, "EVP_sha256", kPackage, c.sha256);
      library_function(h, kSoname, "EVP_DigestInit_ex", kPackage, c.digest_init);
      library_function(h, kSoname, "EVP_DigestUpdate", kPackage, c.digest_update);
      library_function(h, kSoname, "EVP_DigestFinal_ex", kPackage, c.digest_final);
    } catch (const std::exception& e) {
      error = std::string("sha256: ") + e.what();
    }
  });
  if (!error.empty()) throw std::runtime_error(error);
  return c;
}

}  // namespace

struct Sha256::State {
  const Libcrypto& crypto = libcrypto();
  EVP_MD_CTX* context = nullptr;
  bool finished = false;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  const Libcrypto& c = state_->crypto;
  state_->context = c.md_ctx_new();
  if (state_->context == nullptr || c.digest_init(state_->context, c.sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256: OpenSSL could not initialise a SHA-256 context");
  }
}

Sha256::~Sha256() {
  state_->crypto.md_ctx_free(state_->context);
}

void Sha256::update(std::string_view data) {
  if (state_->finished) throw std::logic_error("Sha256::update after hex_digest");
  if (state_->crypto.digest_update(state_->context, data.data(), data.size()) != 1) {
    throw std::runtime_error("sha256: OpenSSL digest update failed");
  }
}

std::string Sha256::hex_digest() {
  if (state_->finished) throw std::logic_error("Sha256::hex_digest called twice");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (state_->crypto.digest_final(state_->context, digest, &length) != 1) {
    throw std::runtime_error("sha256: OpenSSL digest finalisation failed");
  }
  state_->finished = true;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * length, '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.hex_digest();
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read (" + std::strerror(errno) + ")");
  Sha256 hasher;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) throw std::runtime_error(path + ": read error while hashing");
  return hasher.hex_digest();
}

}  // namespace rrg::io
