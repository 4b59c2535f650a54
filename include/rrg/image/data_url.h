// Base64 (RFC 4648, standard alphabet, padded) and `data:` URLs (RFC 2397), the form in which
// OpenAI-compatible servers accept inline images: "data:image/jpeg;base64,/9j/4AAQ...".
#pragma once

#include <string>
#include <string_view>

namespace rrg::image {

std::string base64_encode(std::string_view bytes);

// Decodes standard-alphabet base64; padding is optional. Throws InputError on any other
// character or an impossible length.
std::string base64_decode(std::string_view text);

// "data:<mime_type>;base64,<base64 of bytes>".
std::string make_data_url(std::string_view mime_type, std::string_view bytes);

struct DataUrl {
  std::string mime_type;
  std::string bytes;
};

// Inverse of make_data_url. Throws InputError for anything that is not a base64 data URL.
DataUrl parse_data_url(std::string_view url);

}  // namespace rrg::image
