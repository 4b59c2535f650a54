// The per-sample parts of the HTML report: the worst-samples lists, the per-sample table and the
// data block they are drawn from.
//
// 3,000 samples of static rows take a browser many seconds to lay out, so the page carries the
// samples as one JSON block (texts, 4-decimal values, labels as 14-character codes) and the
// script renders one page of the table, and a worst list when it is opened, with textContent:
// no user text is ever parsed as HTML. A text that occurs more than once among the carried
// references and predictions (a template answer, a system that copies the reference, systems
// that agree) is stored once in "shared_texts" and referred to by its index.
#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <unordered_map>

#include "html_sections.h"
#include "rrg/core/version.h"
#include "rrg/report/chart_axis.h"
#include "rrg/report/html_escape.h"

namespace rrg::report::detail {
namespace {

using chexpert::kNumObservations;
using chexpert::Label;

std::string esc(std::string_view text) {
  return escape_html(text);
}

std::size_t table_limit(const Page& page) {
  const std::size_t n = page.data.ids.size();
  return page.options.max_table_rows == 0 ? n : std::min(n, page.options.max_table_rows);
}

// A table column: one (system, metric) with per-sample values, restricted to table_metrics.
struct Column {
  std::size_t system = 0;
  std::size_t metric = 0;
};

std::vector<Column> table_columns(const Page& page) {
  const ReportData& d = page.data;
  const auto& wanted = page.options.table_metrics;
  std::vector<Column> columns;
  for (const std::size_t m : per_sample_metrics(d)) {
    if (!wanted.empty() &&
        std::find(wanted.begin(), wanted.end(), d.metrics[m].name) == wanted.end()) {
      continue;
    }
    for (std::size_t s = 0; s < d.systems.size(); ++s) {
      if (!d.systems[s].per_sample[m].empty()) columns.push_back({s, m});
    }
  }
  return columns;
}

// One worst-samples list: system, metric, and the samples from worst.
struct WorstList {
  std::size_t system = 0;
  std::size_t metric = 0;
  std::vector<std::size_t> samples;
};

std::vector<WorstList> worst_lists(const Page& page) {
  std::vector<WorstList> lists;
  if (page.options.worst_n == 0) return lists;
  const ReportData& d = page.data;
  for (std::size_t s = 0; s < d.systems.size(); ++s) {
    for (const std::size_t m : per_sample_metrics(d)) {
      const auto& values = d.systems[s].per_sample[m];
      if (values.empty()) continue;
      lists.push_back(
          {s, m, worst_samples(values, d.metrics[m].higher_is_better, page.options.worst_n)});
    }
  }
  return lists;
}

// The samples the data block carries: the table's first rows and every worst-listed sample.
std::vector<std::size_t> carried_samples(const Page& page, const std::vector<WorstList>& lists) {
  std::set<std::size_t> extra;
  const std::size_t limit = table_limit(page);
  for (const WorstList& list : lists) {
    for (const std::size_t i : list.samples) {
      if (i >= limit) extra.insert(i);
    }
  }
  std::vector<std::size_t> rows;
  rows.reserve(limit + extra.size());
  for (std::size_t i = 0; i < limit; ++i) rows.push_back(i);
  rows.insert(rows.end(), extra.begin(), extra.end());
  return rows;
}

char label_code(Label label) {
  switch (label) {
    case Label::kPositive:
      return '1';
    case Label::kNegative:
      return '0';
    case Label::kUncertain:
      return 'u';
    case Label::kBlank:
      break;
  }
  return '.';
}

void append_labels(const chexpert::LabelRow& row, std::string& out) {
  out.push_back('"');
  for (const Label label : row) out.push_back(label_code(label));
  out.push_back('"');
}

// A value as the table shows it: the metric's decimals, trailing zeros dropped; null for N/A.
void append_number(double value, int decimals, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  std::string text = format_fixed(value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  out += text;
}

// `"key":[...]` over the carried rows, or `"key":null` when `present` is false.
template <typename Append>
void append_row_array(Page& page, const char* key, const std::vector<std::size_t>& rows,
                      bool present, Append append) {
  std::string& o = page.out;
  o += "\"";
  o += key;
  o += "\":";
  if (!present) {
    o += "null";
    return;
  }
  o += "[";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r > 0) o += ",";
    append(rows[r], o);
    if ((r & 255) == 0) page.flush_if_large();
  }
  o += "]";
}

bool any_nonempty(const std::vector<std::string>& texts) {
  for (const auto& t : texts) {
    if (!t.empty()) return true;
  }
  return false;
}

void append_string(const std::string& text, std::string& out) {
  append_script_json_string(text, out);
}

// Texts shorter than this are written where they occur: an index would save little.
constexpr std::size_t kShortestSharedText = 12;

// The texts (references and predictions of the carried rows) that occur more than once, each
// with its index in "shared_texts", numbered in order of first occurrence.
class SharedTexts {
 public:
  SharedTexts(const ReportData& d, const std::vector<std::size_t>& rows) {
    std::unordered_map<std::string_view, std::size_t> seen;  // text -> occurrences
    std::vector<std::string_view> order;
    const auto count = [&](const std::string& text) {
      if (text.size() < kShortestSharedText) return;
      if (++seen[text] == 1) order.push_back(text);
    };
    for (const std::size_t i : rows) {
      if (!d.references.empty()) count(d.references[i]);
      for (const SystemReport& s : d.systems) {
        if (!s.predictions.empty()) count(s.predictions[i]);
      }
    }
    for (const std::string_view text : order) {
      if (seen[text] > 1) {
        index_.emplace(text, texts_.size());
        texts_.push_back(text);
      }
    }
  }
  const std::vector<std::string_view>& texts() const { return texts_; }
  // `text` as an element of a text array: its shared index, or the string itself.
  void append(const std::string& text, std::string& out) const {
    const auto found = index_.find(text);
    if (found == index_.end()) {
      append_string(text, out);
    } else {
      out += std::to_string(found->second);
    }
  }

 private:
  std::unordered_map<std::string_view, std::size_t> index_;
  std::vector<std::string_view> texts_;
};

}  // namespace

void write_worst_section(Page& page) {
  const ReportData& d = page.data;
  const std::vector<WorstList> lists = worst_lists(page);
  if (lists.empty()) return;
  std::string& o = page.out;
  o += "<section id=\"worst\"><h2>Worst samples</h2>\n<p>The " +
       std::to_string(page.options.worst_n) +
       " lowest-scoring samples per metric (highest for counts of label disagreements), ties in "
       "input order. Open a list to see the texts; an id opens the sample in the table.</p>\n"
       "<noscript><p class=\"note\">The lists and the table are drawn by the page's script: "
       "allow JavaScript to see them.</p></noscript>\n";
  for (std::size_t k = 0; k < lists.size(); ++k) {
    const WorstList& list = lists[k];
    if (d.systems.size() > 1 && (k == 0 || lists[k - 1].system != list.system)) {
      o += "<h3>" + esc(d.systems[list.system].name) + "</h3>\n";
    }
    const ReportMetric& metric = d.metrics[list.metric];
    o += "<details class=\"worst\" data-list=\"" + std::to_string(k) + "\"><summary>" +
         esc(metric.name) + " &mdash; " + std::to_string(list.samples.size()) +
         (metric.higher_is_better ? " lowest" : " highest") + "</summary></details>\n";
  }
  o += "</section>\n";
}

void write_samples_section(Page& page) {
  const ReportData& d = page.data;
  std::string& o = page.out;
  const std::vector<Column> columns = table_columns(page);
  const bool many = d.systems.size() > 1;
  const std::size_t limit = table_limit(page);
  o += "<section id=\"samples\"><h2>Samples</h2>\n";
  if (limit < d.ids.size()) {
    o += "<p class=\"note\">The table holds the first " + std::to_string(limit) + " of " +
         std::to_string(d.ids.size()) +
         " samples (--html-rows) and the worst-listed ones; the charts and worst lists use all "
         "of them.</p>\n";
  }
  o += "<p>Click a column heading to sort (again to reverse); values are rounded as shown (full "
       "precision in --json and the per-sample CSV). <mark>Highlighted</mark> words also occur "
       "on the other side. Labels: <span class=\"lb legend-chips\"><i class=\"p\">positive</i>"
       "<i class=\"n\">negative</i><i class=\"u\">uncertain</i><i class=\"b\">not mentioned</i>"
       "<i class=\"p x\">differs from the other side</i></span> (observations neither side "
       "mentions are left out unless \"all 14 labels\" is ticked).</p>\n"
       "<div class=\"controls\"><label>Filter <input id=\"filter\" type=\"search\" "
       "placeholder=\"id or observation, e.g. edema\" autocomplete=\"off\"></label><label><input "
       "id=\"only-disagree\" type=\"checkbox\"> only samples whose labels disagree</label>"
       "<label><input id=\"all-labels\" type=\"checkbox\"> all 14 labels</label>"
       "<span id=\"count\" role=\"status\"></span></div>\n"
       "<div class=\"controls pager\"><button type=\"button\" id=\"page-prev\">&larr; "
       "previous</button><span id=\"page-info\"></span><button type=\"button\" "
       "id=\"page-next\">next &rarr;</button><label>rows per page <select id=\"page-size\">"
       "<option>25</option><option selected>50</option><option>100</option><option>250</option>"
       "<option>1000</option></select></label></div>\n";
  o += "<table id=\"sample-table\" class=\"samples\"><thead><tr><th class=\"c-i\" "
       "data-col=\"index\" aria-sort=\"none\" scope=\"col\"><button type=\"button\">#</button>"
       "</th><th class=\"c-id\" data-col=\"id\" aria-sort=\"none\" scope=\"col\"><button "
       "type=\"button\">id</button></th>";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const ReportMetric& metric = d.metrics[columns[c].metric];
    const std::string label = (many ? d.systems[columns[c].system].name + ": " : "") +
                              (metric.label.empty() ? metric.name : metric.label);
    o += "<th data-col=\"" + std::to_string(c) + "\" aria-sort=\"none\" scope=\"col\" title=\"" +
         esc(metric.name + "\n" + metric.signature) + "\"><button type=\"button\">" + esc(label) +
         "</button></th>";
  }
  o += "</tr></thead></table>\n</section>\n";
}

void write_data_block(Page& page) {
  const ReportData& d = page.data;
  const std::vector<WorstList> lists = worst_lists(page);
  const std::vector<std::size_t> rows = carried_samples(page, lists);
  const std::vector<Column> columns = table_columns(page);
  std::vector<long long> row_of(d.ids.size(), -1);
  for (std::size_t r = 0; r < rows.size(); ++r) row_of[rows[r]] = static_cast<long long>(r);
  std::string& o = page.out;
  const auto key = [&o](const char* name) {
    o += ",\"";
    o += name;
    o += "\":";
  };

  o += "<script type=\"application/json\" id=\"rrg-data\">{\"report\":\"rrg\"";
  key("version");
  append_string(rrg::version(), o);
  key("title");
  append_string(d.title, o);
  key("command_line");
  append_string(d.command_line, o);
  key("n_samples");
  o += std::to_string(d.ids.size());
  key("n_table_rows");
  o += std::to_string(table_limit(page));
  key("observations");
  o += "[";
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    if (k > 0) o += ",";
    append_string(std::string(chexpert::kObservationNames[k]), o);
  }
  o += "]";
  key("metrics");
  o += "[";
  for (std::size_t m = 0; m < d.metrics.size(); ++m) {
    const ReportMetric& metric = d.metrics[m];
    if (m > 0) o += ",";
    o += "{\"name\":";
    append_string(metric.name, o);
    o += ",\"family\":";
    append_string(metric.family, o);
    o += ",\"higher_is_better\":" + std::string(metric.higher_is_better ? "true" : "false") +
         ",\"decimals\":" + std::to_string(metric.decimals) + ",\"signature\":";
    append_string(metric.signature, o);
    o += "}";
  }
  o += "]";
  key("systems");
  o += "[";
  for (std::size_t s = 0; s < d.systems.size(); ++s) {
    if (s > 0) o += ",";
    o += "{\"name\":";
    append_string(d.systems[s].name, o);
    o += ",\"source\":";
    append_string(d.systems[s].source, o);
    o += "}";
  }
  o += "]";
  page.flush();

  const SharedTexts shared(d, rows);
  key("shared_texts");
  o += "[";
  for (std::size_t t = 0; t < shared.texts().size(); ++t) {
    if (t > 0) o += ",";
    append_string(std::string(shared.texts()[t]), o);
    if ((t & 255) == 0) page.flush_if_large();
  }
  o += "]";

  // The carried samples, column by column.
  o += ",\"rows\":{";
  append_row_array(page, "index", rows, true,
                   [](std::size_t i, std::string& out) { out += std::to_string(i); });
  o += ",";
  append_row_array(page, "id", rows, true,
                   [&d](std::size_t i, std::string& out) { append_string(d.ids[i], out); });
  o += ",";
  append_row_array(page, "reference", rows, !d.references.empty(),
                   [&](std::size_t i, std::string& out) { shared.append(d.references[i], out); });
  o += ",";
  append_row_array(
      page, "reference_labels", rows, !d.reference_labels.empty(),
      [&d](std::size_t i, std::string& out) { append_labels(d.reference_labels[i], out); });
  o += ",\"systems\":[";
  for (std::size_t s = 0; s < d.systems.size(); ++s) {
    const SystemReport& system = d.systems[s];
    const bool labels = system.clinical && !system.clinical->labels.empty();
    const bool label_errors = system.clinical && any_nonempty(system.clinical->errors);
    if (s > 0) o += ",";
    o += "{";
    append_row_array(
        page, "prediction", rows, !system.predictions.empty(),
        [&](std::size_t i, std::string& out) { shared.append(system.predictions[i], out); });
    o += ",";
    append_row_array(
        page, "error", rows, any_nonempty(system.errors),
        [&system](std::size_t i, std::string& out) { append_string(system.errors[i], out); });
    o += ",";
    append_row_array(page, "labels", rows, labels, [&system](std::size_t i, std::string& out) {
      append_labels(system.clinical->labels[i], out);
    });
    o += ",";
    append_row_array(page, "label_error", rows, label_errors,
                     [&system](std::size_t i, std::string& out) {
                       append_string(system.clinical->errors[i], out);
                     });
    o += "}";
  }
  o += "]}";

  key("columns");
  o += "[";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const ReportMetric& metric = d.metrics[columns[c].metric];
    const auto& values = d.systems[columns[c].system].per_sample[columns[c].metric];
    if (c > 0) o += ",";
    o += "{\"system\":" + std::to_string(columns[c].system) +
         ",\"metric\":" + std::to_string(columns[c].metric) + ",";
    append_row_array(page, "values", rows, true,
                     [&values, &metric](std::size_t i, std::string& out) {
                       append_number(values[i], metric.decimals, out);
                     });
    o += "}";
  }
  o += "]";

  key("worst");
  o += "[";
  for (std::size_t k = 0; k < lists.size(); ++k) {
    const WorstList& list = lists[k];
    const ReportMetric& metric = d.metrics[list.metric];
    const auto& values = d.systems[list.system].per_sample[list.metric];
    if (k > 0) o += ",";
    o += "{\"system\":" + std::to_string(list.system) +
         ",\"metric\":" + std::to_string(list.metric) + ",\"rows\":[";
    for (std::size_t j = 0; j < list.samples.size(); ++j) {
      o += (j > 0 ? "," : "") + std::to_string(row_of[list.samples[j]]);
    }
    o += "],\"values\":[";
    for (std::size_t j = 0; j < list.samples.size(); ++j) {
      if (j > 0) o += ",";
      append_number(values[list.samples[j]], metric.decimals, o);
    }
    o += "]}";
  }
  o += "]}</script>\n";
  page.flush();
}

}  // namespace rrg::report::detail
