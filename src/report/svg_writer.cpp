// Shared SVG pieces of the charts (see svg_writer.h).
#include "svg_writer.h"

#include <cmath>

#include "rrg/report/chart_axis.h"
#include "rrg/report/html_escape.h"

namespace rrg::report::svg {
namespace {

constexpr double kCharWidth = 6.6;
constexpr double kLegendRow = 18;
constexpr double kSwatch = 10;

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

double legend_entry_width(const LegendEntry& entry) {
  return kSwatch + 4 + text_width(entry.name) + 14;
}

}  // namespace

std::string coord(double value) {
  std::string text = format_fixed(std::round(value * 10) / 10, 1);
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text;
}

double text_width(std::string_view text) {
  std::size_t code_points = 0;
  for (const char c : text) code_points += is_continuation(c) ? 0 : 1;
  return static_cast<double>(code_points) * kCharWidth;
}

std::string fit_text(std::string_view text, double max_width) {
  if (text_width(text) <= max_width) return std::string(text);
  const auto keep = static_cast<std::size_t>(std::max(1.0, max_width / kCharWidth - 1));
  std::size_t bytes = 0;
  std::size_t kept = 0;
  while (bytes < text.size()) {
    std::size_t next = bytes + 1;
    while (next < text.size() && is_continuation(text[next])) ++next;
    if (kept == keep) break;
    bytes = next;
    ++kept;
  }
  return std::string(text.substr(0, bytes)) + "\xE2\x80\xA6";
}

void open(std::string& out, const std::string& chart_id, double width, double height,
          std::string_view title, std::string_view description) {
  const std::string id = html_id(chart_id);
  const std::string w = coord(width);
  const std::string h = coord(height);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" + id + "\" width=\"" +
         w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h +
         "\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\" aria-labelledby=\"" + id +
         "-t" + (description.empty() ? "" : " " + id + "-d") + "\"><title id=\"" + id + "-t\">";
  append_escaped_html(title, out);
  out += "</title>";
  if (!description.empty()) {
    out += "<desc id=\"" + id + "-d\">";
    append_escaped_html(description, out);
    out += "</desc>";
  }
}

void close(std::string& out) {
  out += "</svg>";
}

void text(std::string& out, double x, double y, std::string_view content, std::string_view cls,
          std::string_view anchor, std::string_view transform) {
  out += "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\"";
  if (!cls.empty()) out += " class=\"" + std::string(cls) + "\"";
  if (anchor != "start") out += " text-anchor=\"" + std::string(anchor) + "\"";
  if (!transform.empty()) out += " transform=\"" + std::string(transform) + "\"";
  out += ">";
  append_escaped_html(content, out);
  out += "</text>";
}

double legend_height(const std::vector<LegendEntry>& entries, double width) {
  if (entries.empty()) return 0;
  double x = 0;
  int rows = 1;
  for (const auto& entry : entries) {
    const double w = legend_entry_width(entry);
    if (x > 0 && x + w > width) {
      ++rows;
      x = 0;
    }
    x += w;
  }
  return rows * kLegendRow + 4;
}

void legend(std::string& out, const std::vector<LegendEntry>& entries, double x0, double y0,
            double width) {
  double x = 0;
  double y = 0;
  for (const auto& entry : entries) {
    const double w = legend_entry_width(entry);
    if (x > 0 && x + w > width) {
      x = 0;
      y += kLegendRow;
    }
    out += "<g class=\"legend\"><rect x=\"" + coord(x0 + x) + "\" y=\"" + coord(y0 + y + 2) +
           "\" width=\"" + coord(kSwatch) + "\" height=\"" + coord(kSwatch) + "\" fill=\"";
    append_escaped_html(entry.color, out);
    out += "\"/>";
    text(out, x0 + x + kSwatch + 4, y0 + y + 11, entry.name, "");
    out += "</g>";
    x += w;
  }
}

}  // namespace rrg::report::svg
