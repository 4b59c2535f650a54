// Base64 and data: URLs (see data_url.h).
#include "rrg/image/data_url.h"

#include <array>

#include "rrg/core/errors.h"

namespace rrg::image {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> make_decode_table() {
  std::array<int, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<int, 256> kDecode = make_decode_table();

constexpr std::string_view kBase64Marker = ";base64,";

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16) |
                            (std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) {
    throw InputError("invalid base64: impossible length (" + std::to_string(text.size()) +
                     " characters without padding)");
  }
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int v = kDecode[static_cast<unsigned char>(text[i])];
    if (v < 0) {
      throw InputError("invalid base64: unexpected character at offset " + std::to_string(i));
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string make_data_url(std::string_view mime_type, std::string_view bytes) {
  std::string url = "data:";
  url += mime_type;
  url += kBase64Marker;
  url += base64_encode(bytes);
  return url;
}

DataUrl parse_data_url(std::string_view url) {
  constexpr std::string_view kScheme = "data:";
  const auto marker = url.find(kBase64Marker);
  if (url.substr(0, kScheme.size()) != kScheme || marker == std::string_view::npos) {
    throw InputError("not a base64 data URL (expected data:<type>;base64,<data>): '" +
                     std::string(url.substr(0, 40)) + "'");
  }
  DataUrl out;
  out.mime_type = std::string(url.substr(kScheme.size(), marker - kScheme.size()));
  out.bytes = base64_decode(url.substr(marker + kBase64Marker.size()));
  return out;
}

}  // namespace rrg::image
