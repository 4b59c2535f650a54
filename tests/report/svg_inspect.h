// Reads an SVG document with a real XML parser (Python's xml.etree, /usr/bin/python3) and
// returns what the chart tests check: whether it is well-formed XML, the root's attributes, and
// per data bar (rect class="bar") its geometry and tooltip, plus the texts of category labels.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rrg::testing {

// {"ok": bool, "error": "...", "root": {attrs}, "title": "...", "bars": [{"x","y","width",
// "height","fill","title"}], "categories": ["..."], "intervals": n, "texts": ["..."]}.
// Returns a null json when /usr/bin/python3 is missing (the caller skips).
nlohmann::json inspect_svg(const std::string& svg);

}  // namespace rrg::testing
