// Small pieces shared by the SVG charts (bar_chart.cpp, histogram.cpp): coordinates, the root
// element with its accessible title, text, and the legend. Internal to src/report.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::report::svg {

// A coordinate with at most one decimal ("12.5", "12", "-3.1"), the same on every machine.
std::string coord(double value);

// Width estimate of `text` at the charts' 12 px sans-serif font (code points x 6.6 px).
double text_width(std::string_view text);

// `text` cut to at most `max_width` px (estimated), with "…" when cut.
std::string fit_text(std::string_view text, double max_width);

// <svg ...><title>..</title><desc>..</desc> (desc omitted when empty).
void open(std::string& out, const std::string& id, double width, double height,
          std::string_view title, std::string_view description);
void close(std::string& out);

// <text x y class [anchor] [transform]>escaped</text>.
void text(std::string& out, double x, double y, std::string_view content, std::string_view cls,
          std::string_view anchor = "start", std::string_view transform = "");

struct LegendEntry {
  std::string name;
  std::string color;
};
// Height (px) the legend takes when laid out in rows within `width`; 0 for no entries.
double legend_height(const std::vector<LegendEntry>& entries, double width);
// Draws the legend from (x, y) (top-left) in rows within `width`.
void legend(std::string& out, const std::vector<LegendEntry>& entries, double x, double y,
            double width);

}  // namespace rrg::report::svg
