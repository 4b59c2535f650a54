// Escaping of user text for HTML, SVG, CSS and JSON inside <script>.
#include "rrg/report/html_escape.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace {

using namespace rrg::report;

TEST(EscapeHtml, EscapesMarkupAndQuotes) {
  EXPECT_EQ(escape_html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(escape_html("a & b \"c\" 'd'"), "a &amp; b &quot;c&quot; &#39;d&#39;");
  EXPECT_EQ(escape_html("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
  EXPECT_EQ(escape_html("plain text, 5 cm"), "plain text, 5 cm");
}

TEST(EscapeHtml, KeepsValidUtf8AndRepairsWhatXmlForbids) {
  EXPECT_EQ(escape_html("Türkçe İ — ok"), "Türkçe İ — ok");
  EXPECT_EQ(escape_html("line\nnext\ttab\r"), "line\nnext\ttab\r");
  // A lone continuation byte, a truncated sequence, NUL and ESC become U+FFFD.
  EXPECT_EQ(escape_html(std::string("a\x80z")), "a\xEF\xBF\xBDz");
  EXPECT_EQ(escape_html(std::string("a\xE2\x80")), "a\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(escape_html(std::string("a\0b\x1b", 4)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

TEST(EscapeJsonForScript, NeutralisesScriptEndAndCommentOpen) {
  const nlohmann::json doc = {{"text", "</script><script>alert(1)</script> <!-- & \u2028"}};
  const std::string safe = escape_json_for_script(doc.dump());
  EXPECT_EQ(safe.find('<'), std::string::npos);
  EXPECT_EQ(safe.find('>'), std::string::npos);
  EXPECT_EQ(safe.find('&'), std::string::npos);
  EXPECT_EQ(safe.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(safe), doc);  // the same document
}

TEST(ScriptJsonString, RoundTripsThroughAJsonParser) {
  const std::string nasty =
      "</script><!-- \"quoted\" back\\slash\nnew line\ttab \x01 & <b> \u2028\u2029 é 😀";
  std::string out;
  append_script_json_string(nasty, out);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_EQ(out.find('&'), std::string::npos);
  EXPECT_EQ(out.find('\n'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), nasty);
}

TEST(ScriptJsonString, InvalidUtf8BecomesTheReplacementCharacter) {
  std::string out;
  append_script_json_string(std::string("a\xff"), out);
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), "a\xEF\xBF\xBD");
}

TEST(EscapeCssString, CannotEndTheStringOrTheStyleElement) {
  EXPECT_EQ(escape_css_string("model A-1_b"), "model A-1_b");
  EXPECT_EQ(escape_css_string("a\"}</style>"), "a\\000022\\00007d\\00003c\\00002fstyle\\00003e");
  EXPECT_EQ(escape_css_string("é"), "\\0000e9");
}

TEST(HtmlId, KeepsOnlySafeCharacters) {
  EXPECT_EQ(html_id("hist-BLEU-4"), "hist-BLEU-4");
  EXPECT_EQ(html_id("a\" onload=\"x"), "a__onload__x");
  EXPECT_EQ(html_id("4gram"), "x4gram");
  EXPECT_EQ(html_id(""), "x");
}

}  // namespace
