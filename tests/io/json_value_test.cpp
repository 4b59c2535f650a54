// The fast JSON reader must accept exactly what nlohmann::json (RFC 8259) accepts and decode
// strings identically; nlohmann is the oracle here.
#include "rrg/io/json_value.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
