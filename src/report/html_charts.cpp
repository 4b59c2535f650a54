// The chart sections of the HTML report: clinical (per-observation F1, prevalence, TP/FN/FP and
// the original toolkit's table) and distributions (a histogram per per-sample metric).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "html_sections.h"
#include "rrg/chexpert/label_io.h"
#include "rrg/report/bar_chart.h"
#include "rrg/report/chart_axis.h"
#include "rrg/report/histogram.h"
#include "rrg/report/html_escape.h"

namespace rrg::report::detail {
namespace {

using chexpert::kNumObservations;

std::string esc(std::string_view text) {
  return escape_html(text);
}

std::vector<const SystemReport*> clinical_systems(const ReportData& data) {
  std::vector<const SystemReport*> out;
  for (const SystemReport& s : data.systems) {
    if (s.clinical) out.push_back(&s);
  }
  return out;
}

std::vector<std::string> observation_names(const ClinicalView& view) {
  std::vector<std::string> names;
  for (std::size_t o = 0; o < kNumObservations; ++o) {
    // A dagger marks observations whose references hold one class only (N/A in the table).
    names.push_back(std::string(chexpert::kObservationNames[o]) +
                    (view.observations[o].valid ? "" : " \xE2\x80\xA0"));
  }
  return names;
}

void figure(std::string& o, const std::string& svg, const std::string& caption,
            const char* cls = "") {
  o +=
      std::string("<figure") + (*cls != 0 ? " class=\"" + std::string(cls) + "\"" : "") + ">" + svg;
  if (!caption.empty()) o += "<figcaption>" + caption + "</figcaption>";
  o += "</figure>\n";
}

std::string f1_chart(const ReportData& data, const std::vector<const SystemReport*>& systems) {
  BarChart chart;
  chart.id = "chart-f1";
  chart.title = "F1 per observation (U-zeros)";
  chart.description =
      "F1 of the prediction labels against the reference labels for each of the 14 CheXpert "
      "observations, uncertain counted as negative";
  chart.categories = observation_names(*systems.front()->clinical);
  chart.value_min = 0.0;
  chart.value_max = 1.0;
  chart.value_label = "F1";
  for (const SystemReport* s : systems) {
    BarSeries series;
    series.name = systems.size() > 1 ? s->name : "";
    bool intervals = false;
    std::vector<std::optional<Interval>> whiskers(kNumObservations);
    for (std::size_t o = 0; o < kNumObservations; ++o) {
      series.values.push_back(s->clinical->observations[o].f1);
      // rrg compare's bootstrap interval of the same number, when it computed one.
      if (const auto m = find_metric(data, "chexpert_table_f1_" + chexpert::observation_slug(o))) {
        const std::size_t index = static_cast<std::size_t>(s - data.systems.data());
        whiskers[o] = data.systems[index].corpus[*m].interval;
        intervals = intervals || whiskers[o].has_value();
      }
    }
    if (intervals) series.intervals = std::move(whiskers);
    chart.series.push_back(std::move(series));
  }
  return render_bar_chart(chart);
}

std::string prevalence_chart(const std::vector<const SystemReport*>& systems) {
  BarChart chart;
  chart.id = "chart-prevalence";
  chart.title = "Positives per observation: references vs predictions (U-zeros)";
  chart.description =
      "Number of reports labelled positive for each observation, among the references and among "
      "the predictions";
  chart.categories = observation_names(*systems.front()->clinical);
  chart.value_label = "reports labelled positive";
  chart.value_digits = 0;
  BarSeries reference{"references", {}, {}, "#8c8c8c"};
  for (const auto& row : systems.front()->clinical->observations) {
    reference.values.push_back(static_cast<double>(row.reference_positives()));
  }
  chart.series.push_back(std::move(reference));
  for (std::size_t k = 0; k < systems.size(); ++k) {
    BarSeries series{
        systems.size() > 1 ? systems[k]->name : "predictions", {}, {}, palette_color(k)};
    for (const auto& row : systems[k]->clinical->observations) {
      series.values.push_back(static_cast<double>(row.prediction_positives()));
    }
    chart.series.push_back(std::move(series));
  }
  return render_bar_chart(chart);
}

std::string confusion_chart(const SystemReport& system, std::size_t index, bool many) {
  BarChart chart;
  chart.id = "chart-confusion-" + std::to_string(index);
  chart.title = "TP, FN and FP per observation (U-zeros)" + (many ? ": " + system.name : "");
  chart.description =
      "True positives, false negatives (positive in the reference only) and false positives "
      "(positive in the prediction only), stacked";
  chart.categories = observation_names(*system.clinical);
  chart.layout = BarLayout::kStacked;
  chart.value_label = "reports";
  chart.value_digits = 0;
  BarSeries tp{"TP", {}, {}, "#59a14f"};
  BarSeries fn{"FN (missed)", {}, {}, "#f28e2b"};
  BarSeries fp{"FP (spurious)", {}, {}, "#e15759"};
  for (const auto& row : system.clinical->observations) {
    tp.values.push_back(static_cast<double>(row.tp));
    fn.values.push_back(static_cast<double>(row.fn));
    fp.values.push_back(static_cast<double>(row.fp));
  }
  chart.series = {tp, fn, fp};
  return render_bar_chart(chart);
}

void observation_table(std::string& o, const SystemReport& system) {
  const auto value = [](std::optional<double> v) { return v ? format_fixed(*v, 4) : "N/A"; };
  o += "<table class=\"observations\"><thead><tr><th scope=\"col\">Observation</th>";
  for (const char* h : {"AUC", "F1", "Recall", "Specificity", "N_pos", "N_neg", "TP", "FN", "FP",
                        "TN", "pred. pos."}) {
    o += "<th scope=\"col\" class=\"n\">" + std::string(h) + "</th>";
  }
  o += "</tr></thead>\n<tbody>\n";
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    const ObservationSummary& r = system.clinical->observations[k];
    o += "<tr><th scope=\"row\">" + esc(chexpert::kObservationNames[k]) +
         (r.valid ? "" : " &dagger;") + "</th>";
    for (const std::string& cell :
         {value(r.auc), format_fixed(r.f1, 4), format_fixed(r.recall, 4),
          format_fixed(r.specificity, 4), std::to_string(r.reference_positives()),
          std::to_string(r.fp + r.tn), std::to_string(r.tp), std::to_string(r.fn),
          std::to_string(r.fp), std::to_string(r.tn), std::to_string(r.prediction_positives())}) {
      o += "<td class=\"n\">" + cell + "</td>";
    }
    o += "</tr>\n";
  }
  o += "</tbody></table>\n";
}

double mean_of(const std::vector<double>& values, std::size_t& n) {
  double sum = 0.0;
  n = 0;
  for (const double v : values) {
    if (std::isfinite(v)) {
      sum += v;
      ++n;
    }
  }
  return n == 0 ? std::nan("") : sum / static_cast<double>(n);
}

double median_of(std::vector<double> values) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const std::size_t h = values.size() / 2;
  return values.size() % 2 == 1 ? values[h] : (values[h - 1] + values[h]) / 2;
}

}  // namespace

void write_clinical_section(Page& page) {
  const ReportData& d = page.data;
  std::string& o = page.out;
  const std::vector<const SystemReport*> systems = clinical_systems(d);
  const ClinicalView& first = *systems.front()->clinical;
  o += "<section id=\"clinical\"><h2>Clinical: the 14 CheXpert observations</h2>\n<p>Labels by "
       "<code>" +
       esc(first.labeler) +
       "</code> on both sides; U-zeros: only a positive (1) label counts as "
       "positive.";
  if (first.n_excluded > 0) {
    o += " " + std::to_string(first.n_excluded) +
         " sample(s) left out: a side could not be labelled.";
  }
  o += " &dagger; the references hold one class only (AUC N/A, left out of the table's macro "
       "averages).</p>\n";
  if (!first.note.empty()) o += "<p class=\"note\">" + esc(first.note) + "</p>\n";
  o += "<div class=\"charts\">\n";
  figure(o, f1_chart(d, systems),
         "Each bar is <code>chexpert_table_f1_&lt;observation&gt;</code> (the original toolkit's "
         "table); signatures under Summary &rarr; all metrics.");
  figure(o, prevalence_chart(systems),
         "A model that under-reports an observation has a shorter prediction bar than the "
         "reference bar.");
  for (std::size_t k = 0; k < systems.size(); ++k) {
    figure(o, confusion_chart(*systems[k], k, systems.size() > 1), "");
  }
  o += "</div>\n";
  for (const SystemReport* s : systems) {
    if (systems.size() > 1) o += "<h3>" + esc(s->name) + "</h3>\n";
    o += "<details" + std::string(s == systems.front() ? " open" : "") +
         "><summary>Per-observation table (the original toolkit's)</summary>\n";
    observation_table(o, *s);
    o += "</details>\n";
  }
  o += "</section>\n";
}

void write_distribution_section(Page& page) {
  const ReportData& d = page.data;
  const std::vector<std::size_t> metrics = per_sample_metrics(d);
  if (metrics.empty()) return;
  std::string& o = page.out;
  o += "<section id=\"distributions\"><h2>Distributions of per-sample scores</h2>\n"
       "<p>One histogram per per-sample metric (hover a bar for its count). A corpus value such "
       "as BLEU or CIDEr is not the mean of these.</p>\n<div class=\"charts\">\n";
  for (const std::size_t m : metrics) {
    const ReportMetric& metric = d.metrics[m];
    Histogram h;
    h.id = "hist-" + html_id(metric.name);
    h.title = metric.name;
    h.value_label = metric.name;
    std::string caption;
    for (std::size_t s = 0; s < d.systems.size(); ++s) {
      const auto& values = d.systems[s].per_sample[m];
      if (values.empty()) continue;
      h.series.push_back({d.systems.size() > 1 ? d.systems[s].name : "", values, ""});
      std::size_t n = 0;
      const double mean = mean_of(values, n);
      if (!caption.empty()) caption += "<br>";
      if (d.systems.size() > 1) caption += esc(d.systems[s].name) + ": ";
      caption += "mean " + format_fixed(mean, std::max(metric.decimals, 2)) + ", median " +
                 format_fixed(median_of(values), std::max(metric.decimals, 2)) + ", n " +
                 std::to_string(n);
    }
    caption += "<br><span class=\"sig\">" + esc(metric.signature) + "</span>";
    figure(o, render_histogram(h), caption, "small");
    page.flush_if_large();
  }
  o += "</div>\n</section>\n";
}

}  // namespace rrg::report::detail
