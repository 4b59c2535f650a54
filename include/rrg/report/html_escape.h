// Escaping for text that rrg writes into HTML and SVG: report texts, ids, file paths, metric
// names and command lines come from users and must never become markup or script.
//
// Every function also repairs what would make the output malformed: invalid UTF-8 becomes
// U+FFFD, and so do the control characters XML 1.0 forbids (all C0 controls except tab, line
// feed and carriage return), so the same escaped text is valid in HTML and in a standalone SVG.
#pragma once

#include <string>
#include <string_view>

namespace rrg::report {

// Text for element content and for double- or single-quoted attribute values: & < > " ' become
// &amp; &lt; &gt; &quot; &#39;.
std::string escape_html(std::string_view text);
void append_escaped_html(std::string_view text, std::string& out);

// A JSON document made safe to sit inside <script type="application/json">...</script>: every
// <, > and & becomes \u003c, \u003e, \u0026 (so neither "</script>" nor "<!--" can appear), and
// U+2028/U+2029 become \u2028/\u2029. `json` must be valid JSON (those characters can then only
// occur inside strings, where the escapes mean the same characters).
std::string escape_json_for_script(std::string_view json);

// Appends `text` as a quoted JSON string that is also safe inside <script>: the JSON escapes
// (\" \\ \n \t, \u00XX for other controls) plus \u003c, \u003e, \u0026, \u2028, \u2029;
// invalid UTF-8 becomes U+FFFD.
void append_script_json_string(std::string_view text, std::string& out);

// A CSS string literal's content (between double quotes): every character but ASCII letters,
// digits, space, '-' and '_' becomes a six-digit escape "\00003c", so the text can end neither
// the string nor the <style> element.
std::string escape_css_string(std::string_view text);

// An identifier safe in id="..." and in CSS/SVG references: ASCII letters, digits, '-' and '_'
// are kept, every other byte becomes '_'; a leading digit or an empty result gets a "x" prefix.
std::string html_id(std::string_view text);

}  // namespace rrg::report
