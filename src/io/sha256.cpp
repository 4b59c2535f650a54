// SHA-256 through OpenSSL's EVP interface (see sha256.h).
#include "rrg/io/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "rrg/core/errors.h"

namespace rrg::io {

struct Sha256::State {
  EVP_MD_CTX* context = nullptr;
  bool finished = false;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->context = EVP_MD_CTX_new();
  if (state_->context == nullptr ||
      EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256: OpenSSL could not initialise a SHA-256 context");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(state_->context);
}

void Sha256::update(std::string_view data) {
  if (state_->finished) throw std::logic_error("Sha256::update after hex_digest");
  if (EVP_DigestUpdate(state_->context, data.data(), data.size()) != 1) {
    throw std::runtime_error("sha256: OpenSSL digest update failed");
  }
}

std::string Sha256::hex_digest() {
  if (state_->finished) throw std::logic_error("Sha256::hex_digest called twice");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->context, digest, &length) != 1) {
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
