// The fast JSON reader must accept exactly what nlohmann::json (RFC 8259) accepts and decode
// strings identically; nlohmann is the oracle here.
#include "rrg/io/json_value.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "rrg/text/utf8.h"

namespace {

using rrg::io::JsonValue;
using rrg::io::parse_json;

// Converts our tree to nlohmann's for comparison (numbers by their literal text).
nlohmann::json to_nlohmann(const JsonValue& v) {
  switch (v.type) {
    case JsonValue::Type::kNull:
      return nullptr;
    case JsonValue::Type::kBool:
      return v.boolean;
    case JsonValue::Type::kNumber:
      return nlohmann::json::parse(v.text);
    case JsonValue::Type::kString:
      return v.text;
    case JsonValue::Type::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : v.items) out.push_back(to_nlohmann(item));
      return out;
    }
    case JsonValue::Type::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [k, item] : v.members) out[k] = to_nlohmann(item);
      return out;
    }
  }
  return nullptr;
}

TEST(JsonValue, AgreesWithNlohmannOnValidAndInvalidDocuments) {
  const std::vector<std::string> documents = {
      R"({"id": "a", "report": "no effusion ."})",
      R"({"id": 12, "output": "x", "references": ["a", "b"]})",
      R"(  {"a": [1, -2.5e3, 0, -0, 1E+2, true, false, null, {}, []]}  )",
      R"({"s": "quote \" backslash \\ slash \/ \b\f\n\r\t"})",
      R"({"u": "\u00e9\u20AC\ud83d\ude00 \u0000"})",
      R"({"dup": 1, "dup": 2})",
      "\"plain string\"",
      "[]",
      "3.25",
      // invalid
      R"({"id": "a",})",
      R"({"id": 'a'})",
      R"({"id": "a" "b"})",
      "{\"raw\": \"tab\there\"}",
      R"({"bad": "\x41"})",
      R"({"lone": "\ud800"})",
      R"({"lone": "\udc00"})",
      R"({"num": 01})",
      R"({"num": 1.})",
      R"({"num": .5})",
      R"({"num": +1})",
      R"({"num": 1e})",
      R"({"a": tru})",
      R"({"a": 1} x)",
      R"([1, 2)",
      "",
      "   ",
      R"({"a": "unterminated)",
      "nul",
  };
  for (const auto& doc : documents) {
    JsonValue ours;
    const bool ok = parse_json(doc, ours);
    const bool theirs_ok = nlohmann::json::accept(doc);
    EXPECT_EQ(ok, theirs_ok) << doc;
    if (ok && theirs_ok) {
      EXPECT_EQ(to_nlohmann(ours), nlohmann::json::parse(doc)) << doc;
    }
  }
}

TEST(JsonValue, KeepsMemberOrderAndFindsTheLastDuplicate) {
  JsonValue v;
  ASSERT_TRUE(parse_json(R"({"z": 1, "a": 2, "z": 3})", v));
  ASSERT_EQ(v.members.size(), 3u);
  EXPECT_EQ(v.members[0].first, "z");
  EXPECT_EQ(v.find("z")->text, "3");
  EXPECT_EQ(v.find("missing"), nullptr);
  EXPECT_TRUE(v.find("a")->integer);
}

TEST(JsonValue, NumbersKeepTheirLiteral) {
  JsonValue v;
  ASSERT_TRUE(parse_json("[123456789012345678901234567890, 2.50, -7]", v));
  EXPECT_EQ(v.items[0].text, "123456789012345678901234567890");
  EXPECT_TRUE(v.items[0].integer);
  EXPECT_FALSE(v.items[1].integer);
  EXPECT_EQ(v.items[2].text, "-7");
}

// parse_json_members (JSONL records): accepts exactly what parse_json accepts, on the documents
// above and on thousands of random mutations of record-like lines (long strings, escapes,
// control characters, nested skipped members), and keeps the selected members as parse_json has
// them, in order, repeats included.
TEST(JsonValue, SelectedMembersParseLikeTheWholeDocument) {
  const std::vector<std::string_view> keys = {"id", "report", "references", "error"};
  const std::vector<std::string> seeds = {
      R"({"id": "a", "report": "no effusion .", "model": "m", "usage": {"a": [1, {"b": null}]}})",
      R"({"id": 12, "output": "x", "references": ["a", "b"], "latency_ms": -1.5e3})",
      R"({"images": ["p1.jpg", "p2.jpg"], "id": "q\"x\u00e9\ud83d\ude00", "report": "a long )"
      R"(report text with several words and punctuation, escapes \n\t\/ and more words"})",
      R"({"error": {"message": "timeout", "code": 5}, "id": "e", "report": null, "id": "f"})",
      R"([{"id": "not an object"}])",
      R"({"report": "dup", "report": "last", "x": true, "y": false, "z": [], "w": {}})",
  };
  std::mt19937 rng(5);
  const std::string alphabet = "{}[]\":,\\u0123456789abcdefnrtlse.-+E \t\x01\x7f\xc3\xa9";
  std::size_t accepted = 0, checked = 0;
  for (const auto& seed : seeds) {
    for (int trial = 0; trial < 3000; ++trial) {
      std::string doc = seed;
      const int edits = trial == 0 ? 0 : 1 + trial % 3;
      for (int e = 0; e < edits && !doc.empty(); ++e) {
        const std::size_t at = std::uniform_int_distribution<std::size_t>(0, doc.size() - 1)(rng);
        const char c =
            alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
        switch (trial % 3) {
          case 0:
            doc[at] = c;
            break;
          case 1:
            doc.insert(doc.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          default:
            doc.erase(at, 1);
            break;
        }
      }
      if (rrg::text::find_invalid_utf8(doc) != std::string::npos) continue;  // callers check first
      JsonValue whole, selected;
      const bool ok = parse_json(doc, whole);
      ASSERT_EQ(rrg::io::parse_json_members(doc, keys, selected), ok) << doc;
      ++checked;
      if (!ok) continue;
      ++accepted;
      ASSERT_EQ(selected.type, whole.type) << doc;
      if (whole.type != JsonValue::Type::kObject) {
        EXPECT_EQ(to_nlohmann(selected), to_nlohmann(whole)) << doc;
        continue;
      }
      std::vector<std::pair<std::string, nlohmann::json>> expected, actual;
      for (const auto& [key, value] : whole.members) {
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
          expected.emplace_back(key, to_nlohmann(value));
        }
      }
      for (const auto& [key, value] : selected.members)
        actual.emplace_back(key, to_nlohmann(value));
      EXPECT_EQ(actual, expected) << doc;
    }
  }
  EXPECT_GT(accepted, 500u);
  EXPECT_GT(checked - accepted, 2000u);
}

}  // namespace
