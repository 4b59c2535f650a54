// The XML oracle of the chart tests (see svg_inspect.h).
#include "svg_inspect.h"

#include "support/test_support.h"

namespace rrg::testing {
namespace {

constexpr const char* kScript = R"PY(
import json, sys
import xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
text = sys.stdin.read()
try:
    root = ET.fromstring(text)
except ET.ParseError as error:
    print(json.dumps({"ok": False, "error": str(error)}))
    sys.exit(0)
def local(tag):
    return tag[len(NS):] if tag.startswith(NS) else tag
out = {"ok": True, "tag": local(root.tag), "root": dict(root.attrib), "bars": [],
       "categories": [], "intervals": 0, "texts": []}
title = root.find(NS + "title")
out["title"] = title.text if title is not None else None
for element in root.iter():
    tag = local(element.tag)
    cls = element.get("class", "")
    if tag == "rect" and cls == "bar":
        t = element.find(NS + "title")
        out["bars"].append({"x": float(element.get("x")), "y": float(element.get("y")),
                            "width": float(element.get("width")),
                            "height": float(element.get("height")),
                            "fill": element.get("fill"), "title": t.text if t is not None else None})
    elif tag == "g" and cls == "category":
        out["categories"].append("".join(element.itertext()))
    elif tag == "path" and cls == "interval":
        out["intervals"] += 1
    elif tag == "text":
        out["texts"].append("".join(element.itertext()))
print(json.dumps(out))
)PY";

}  // namespace

nlohmann::json inspect_svg(const std::string& svg) {
  const CommandResult r = run_command({"/usr/bin/python3", "-c", kScript}, svg);
  if (r.exit_code == 127) return nullptr;
  if (r.exit_code != 0) return {{"ok", false}, {"error", r.err}};
  return nlohmann::json::parse(r.out);
}

}  // namespace rrg::testing
