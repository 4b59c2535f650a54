// Strict JSON parser producing JsonValue trees (see json_value.h).
#include "rrg/io/json_value.h"

#include <cstdint>
#include <cstring>

#include "rrg/text/utf8.h"

namespace rrg::io {
namespace {

// Nesting limit: report files are two or three levels deep; this only guards the stack.
constexpr int kMaxDepth = 512;

class Parser {
 public:
  explicit Parser(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool parse_document(JsonValue& out) {
    skip_space();
    if (!parse_value(out, 0)) return false;
    skip_space();
    return p_ == end_;
  }

  // A document whose object members are kept only when `keep(key)`; the others are validated
  // and dropped. A document that is not an object is parsed whole.
  template <typename Keep>
  bool parse_selected_document(JsonValue& out, const Keep& keep) {
    skip_space();
    if (p_ >= end_ || *p_ != '{') return parse_document(out);
    out.type = JsonValue::Type::kObject;
    out.members.reserve(4);  // a record's id, text and perhaps references or error
    ++p_;  // '{'
    skip_space();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
    } else {
      std::string key;
      for (;;) {
        skip_space();
        if (p_ >= end_ || *p_ != '"' || !parse_string(key)) return false;
        skip_space();
        if (p_ >= end_ || *p_ != ':') return false;
        ++p_;
        skip_space();
        if (keep(key)) {
          out.members.emplace_back(std::move(key), JsonValue());
          if (!parse_value(out.members.back().second, 1)) return false;
        } else if (!skip_value(1)) {
          return false;
        }
        skip_space();
        if (p_ >= end_) return false;
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ != '}') return false;
        ++p_;
        break;
      }
    }
    skip_space();
    return p_ == end_;
  }

 private:
  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  bool literal(const char* word, std::size_t length) {
    if (static_cast<std::size_t>(end_ - p_) < length || std::memcmp(p_, word, length) != 0) {
      return false;
    }
    p_ += length;
    return true;
  }

  bool parse_value(JsonValue& out, int depth) {
    if (p_ >= end_ || depth > kMaxDepth) return false;
    switch (*p_) {
      case '{':
        return parse_object(out, depth);
      case '[':
        return parse_array(out, depth);
      case '"':
        out.type = JsonValue::Type::kString;
        return parse_string(out.text);
      case 't':
        out.type = JsonValue::Type::kBool;
        out.boolean = true;
        return literal("true", 4);
      case 'f':
        out.type = JsonValue::Type::kBool;
        out.boolean = false;
        return literal("false", 5);
      case 'n':
        out.type = JsonValue::Type::kNull;
        return literal("null", 4);
      default:
        return parse_number(out);
    }
  }

  // Validates the value at p_ exactly as parse_value() would, building nothing.
  bool skip_value(int depth) {
    if (p_ >= end_ || depth > kMaxDepth) return false;
    switch (*p_) {
      case '{':
      case '[': {
        const char close = *p_ == '{' ? '}' : ']';
        const bool object = close == '}';
        ++p_;
        skip_space();
        if (p_ < end_ && *p_ == close) {
          ++p_;
          return true;
        }
        for (;;) {
          skip_space();
          if (object) {
            if (p_ >= end_ || *p_ != '"' || !skip_string()) return false;
            skip_space();
            if (p_ >= end_ || *p_ != ':') return false;
            ++p_;
            skip_space();
          }
          if (!skip_value(depth + 1)) return false;
          skip_space();
          if (p_ >= end_) return false;
          if (*p_ == ',') {
            ++p_;
            continue;
          }
          if (*p_ != close) return false;
          ++p_;
          return true;
        }
      }
      case '"':
        return skip_string();
      case 't':
        return literal("true", 4);
      case 'f':
        return literal("false", 5);
      case 'n':
        return literal("null", 4);
      default: {
        JsonValue number;
        return parse_number(number);
      }
    }
  }

  bool parse_object(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kObject;
    ++p_;  // '{'
    skip_space();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      skip_space();
      if (p_ >= end_ || *p_ != '"') return false;
      out.members.emplace_back();
      if (!parse_string(out.members.back().first)) return false;
      skip_space();
      if (p_ >= end_ || *p_ != ':') return false;
      ++p_;
      skip_space();
      if (!parse_value(out.members.back().second, depth + 1)) return false;
      skip_space();
      if (p_ >= end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != '}') return false;
      ++p_;
      return true;
    }
  }

  bool parse_array(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kArray;
    ++p_;  // '['
    skip_space();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      skip_space();
      out.items.emplace_back();
      if (!parse_value(out.items.back(), depth + 1)) return false;
      skip_space();
      if (p_ >= end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != ']') return false;
      ++p_;
      return true;
    }
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool read_hex4(unsigned& value) {
    if (end_ - p_ < 4) return false;
    value = 0;
    for (int k = 0; k < 4; ++k) {
      const int d = hex_digit(p_[k]);
      if (d < 0) return false;
      value = value * 16 + static_cast<unsigned>(d);
    }
    p_ += 4;
    return true;
  }

  // Moves p_ to the first quote, backslash or control character at or after p_ (or end_), eight
  // bytes at a time while none is in sight.
  void scan_plain_run() {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    while (end_ - p_ >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p_, 8);
      const std::uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
      // A zero byte of quote/backslash, or a byte below 0x20 of w, sets that byte's high bit.
      const std::uint64_t found = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                  ((w - kOnes * 0x20) & ~w);
      if ((found & kHigh) != 0) break;
      p_ += 8;
    }
    while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
  }

  bool parse_string(std::string& out) { return scan_string<true>(&out); }
  bool skip_string() { return scan_string<false>(nullptr); }

  // A string literal at p_ (its opening quote), decoded into *out when kStore; validated the
  // same way either way.
  template <bool kStore>
  bool scan_string(std::string* out) {
    ++p_;  // opening quote
    if constexpr (kStore) out->clear();
    for (;;) {
      // Copy the run up to the next quote or backslash in one go.
      const char* run = p_;
      scan_plain_run();
      if (p_ < end_ && static_cast<unsigned char>(*p_) < 0x20) return false;  // raw control
      if constexpr (kStore) out->append(run, static_cast<std::size_t>(p_ - run));
      if (p_ >= end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      ++p_;  // backslash
      if (p_ >= end_) return false;
      const char escape = *p_++;
      switch (escape) {
        case '"':
          put(out, '"');
          break;
        case '\\':
          put(out, '\\');
          break;
        case '/':
          put(out, '/');
          break;
        case 'b':
          put(out, '\b');
          break;
        case 'f':
          put(out, '\f');
          break;
        case 'n':
          put(out, '\n');
          break;
        case 'r':
          put(out, '\r');
          break;
        case 't':
          put(out, '\t');
          break;
        case 'u': {
          unsigned cp;
          if (!read_hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!read_hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          if constexpr (kStore) text::append_utf8(static_cast<char32_t>(cp), *out);
          break;
        }
        default:
          return false;
      }
    }
  }

  template <typename Out>
  static void put(Out* out, char c) {
    if (out != nullptr) out->push_back(c);
  }

  bool parse_number(JsonValue& out) {
    out.type = JsonValue::Type::kNumber;
    out.integer = true;
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ >= end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      return false;
    }
    if (p_ < end_ && *p_ == '.') {
      out.integer = false;
      ++p_;
      if (p_ >= end_ || *p_ < '0' || *p_ > '9') return false;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      out.integer = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ >= end_ || *p_ < '0' || *p_ > '9') return false;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    out.text.assign(start, static_cast<std::size_t>(p_ - start));
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  const JsonValue* found = nullptr;
  for (const auto& [name, value] : members) {
    if (name == key) found = &value;
  }
  return found;
}

JsonValue* JsonValue::find(std::string_view key) {
  return const_cast<JsonValue*>(static_cast<const JsonValue&>(*this).find(key));
}

bool parse_json(std::string_view text, JsonValue& out) {
  out = JsonValue();
  return Parser(text).parse_document(out);
}

bool parse_json_members(std::string_view text, const std::vector<std::string_view>& keys,
                        JsonValue& out) {
  out = JsonValue();
  return Parser(text).parse_selected_document(out, [&keys](const std::string& key) {
    for (const std::string_view k : keys) {
      if (k == key) return true;
    }
    return false;
  });
}

const char* json_type_name(const JsonValue& value) {
  switch (value.type) {
    case JsonValue::Type::kNull:
      return "null";
    case JsonValue::Type::kBool:
      return "a boolean";
    case JsonValue::Type::kNumber:
      return "a number";
    case JsonValue::Type::kString:
      return "a string";
    case JsonValue::Type::kArray:
      return "an array";
    case JsonValue::Type::kObject:
      return "an object";
  }
  return "a value";
}

}  // namespace rrg::io
