"""Browser tests of `rrg evaluate --html` and `rrg compare --html` in real headless Chromium.

    report_browser_test.py RRG_BINARY SCREENSHOT_DIR [--docs-screenshot PNG]
                           [--docs-compare-screenshot PNG]

Writes reports with the real binary (the bundled examples, 120 generated pairs for paging,
reports whose texts try to run script, and a comparison of the two bundled systems), opens each
from disk and checks: no console errors, no request of any kind, charts drawn (SVG bars with
size, a screenshot that is not blank), sorting by a header click reorders the rows, the filter
filters, paging, the worst-samples lists, that no escaped <script> runs, and for the comparison
the per-system bars with interval whiskers, p-values and every system's text side by side.
Screenshots go to SCREENSHOT_DIR so a person can look; --docs-screenshot and
--docs-compare-screenshot also write the README's pictures. Exit 77 (skipped) without a browser.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "tests", "support"))
import browser  # noqa: E402

ARGS = None
# Texts that would run script if any were written into the page unescaped; each would set
# window.__rrg_pwned or open an alert.
ATTACKS = [
    "<script>window.__rrg_pwned = 1; alert(1)</script> left pleural effusion.",
    "</script><script>window.__rrg_pwned = 2</script> cardiomegaly.",
    "<img src=x onerror=\"window.__rrg_pwned = 3\"> no pneumothorax.",
    "<!-- <script>window.__rrg_pwned = 4</script> --> mild edema.",
    "\"><svg onload=window.__rrg_pwned=5> atelectasis.",
    "\u2028</script><script>window.__rrg_pwned=6</script>",
]


def run_rrg(*args):
    done = subprocess.run([ARGS.rrg, *args], capture_output=True, text=True,
                          env={**os.environ, "RRG_CONFIG": "/dev/null"})
    if done.returncode != 0:
        raise AssertionError(f"rrg {' '.join(args)} failed: {done.stderr}")


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


class Reports:
    """The reports every test opens, written once."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rrg-report-browser-")
        examples = os.path.join(SOURCE, "examples")
        self.examples = os.path.join(self.dir, "examples.html")
        run_rrg("evaluate", "--pred", os.path.join(examples, "pred.jsonl"), "--ref",
                os.path.join(examples, "ref.jsonl"), "--html", self.examples, "-q")

        corpus = os.path.join(self.dir, "c120")
        subprocess.run([sys.executable, os.path.join(SOURCE, "scripts", "bench", "gen_corpus.py"),
                        "120", corpus], check=True)
        self.paged = os.path.join(self.dir, "paged.html")
        run_rrg("evaluate", "--pred", os.path.join(corpus, "pred.jsonl"), "--ref",
                os.path.join(corpus, "ref.jsonl"), "--html", self.paged, "-q")

        predictions = [{"id": f"x{k}<script>window.__rrg_pwned={10 + k}</script>", "report": a}
                       for k, a in enumerate(ATTACKS)]
        references = [{"id": p["id"], "report": "small " + a} for p, a in zip(predictions, ATTACKS)]
        write_jsonl(os.path.join(self.dir, "xss_pred.jsonl"), predictions)
        write_jsonl(os.path.join(self.dir, "xss_ref.jsonl"), references)
        self.xss = os.path.join(self.dir, "xss.html")
        run_rrg("evaluate", "--pred", os.path.join(self.dir, "xss_pred.jsonl"), "--ref",
                os.path.join(self.dir, "xss_ref.jsonl"), "--html", self.xss, "-q")

        # The bundled model outputs against a system that always answers "normal".
        self.compare = os.path.join(self.dir, "compare.html")
        self.compare_json = os.path.join(self.dir, "compare.json")
        run_rrg("compare", "--ref", os.path.join(examples, "ref.jsonl"), "--sys",
                "model=" + os.path.join(examples, "pred.jsonl"), "--sys",
                "normal=" + os.path.join(examples, "pred_normal.jsonl"), "--ar-trials", "1000",
                "--bootstrap", "200", "--html", self.compare, "--json", self.compare_json, "-q")


class ReportInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.reports = Reports()
        cls.browser = browser.Browser(1400, 1000)
        cls.driver = cls.browser.driver
        os.makedirs(ARGS.screenshots, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()

    def open(self, path):
        self.browser.console()  # drop earlier messages
        self.driver.get("file://" + path)
        self.driver.execute_script("return document.readyState")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait_for(self, condition, seconds=10):
        """Polls `condition` until it holds (for what the page does after an event returns)."""
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {seconds} s")
            time.sleep(0.05)

    def screenshot(self, name, element=None):
        png = (element.screenshot_as_png if element is not None
               else self.driver.get_screenshot_as_png())
        with open(os.path.join(ARGS.screenshots, name), "wb") as out:
            out.write(png)
        return png

    def visible_column(self, index):
        """The text of cell `index` of every table row on the current page."""
        return self.js("""return Array.from(document.querySelectorAll('#sample-table tbody'))
                          .map(b => b.rows[0].cells[arguments[0]].textContent)""", index)

    def header(self, label):
        for button in self.driver.find_elements("css selector", "#sample-table thead th button"):
            if button.text.replace("\n", "") == label:
                return button
        raise AssertionError(f"no column heading {label!r}")

    # ---- the tests ----

    def test_opens_without_console_errors_or_requests(self):
        self.open(self.reports.examples)
        self.assertEqual(self.browser.console_errors(), [])
        timing = self.js("""const t = performance.getEntriesByType('navigation')[0];
            return {dom: t.domContentLoadedEventEnd, load: t.loadEventEnd,
                    resources: performance.getEntriesByType('resource').map(r => r.name)}""")
        self.assertEqual(timing["resources"], [], "the report fetched something")
        with open(self.reports.examples, encoding="utf-8") as page:
            html = page.read()
        # The only URL is the SVG namespace name, which is an identifier, never fetched.
        self.assertEqual(html.count("://"), html.count("http://www.w3.org/2000/svg"))
        print(f"examples report: {len(html)} bytes, DOMContentLoaded {timing['dom']:.0f} ms, "
              f"load {timing['load']:.0f} ms")

    def test_charts_are_drawn(self):
        self.open(self.reports.examples)
        charts = self.js("""return Array.from(document.querySelectorAll('svg.chart')).map(svg => ({
            id: svg.id,
            bars: svg.querySelectorAll('rect.bar').length,
            drawn: Array.from(svg.querySelectorAll('rect.bar')).filter(r => {
              const box = r.getBoundingClientRect(); return box.width > 0 && box.height > 0;
            }).length}))""")
        by_id = {c["id"]: c for c in charts}
        self.assertEqual(by_id["chart-f1"]["bars"], 14)
        self.assertGreater(by_id["chart-f1"]["drawn"], 5)
        self.assertEqual(by_id["chart-prevalence"]["bars"], 28)
        self.assertEqual(by_id["chart-confusion-0"]["bars"], 42)
        histograms = [c for c in charts if c["id"].startswith("hist-")]
        self.assertEqual(len(histograms), 20)  # 12 lexical + 8 clinical per-sample metrics
        for h in histograms:
            self.assertGreater(h["drawn"], 0, h["id"])
        self.js("document.getElementById('clinical').scrollIntoView()")
        chart = self.driver.find_element("id", "chart-f1")
        summary = self.browser.image_summary(self.screenshot("report_f1_chart.png", chart))
        self.assertGreater(summary["colours"], 8, summary)
        self.assertGreater(summary["ink"], 0.05, summary)
        page = self.browser.image_summary(self.screenshot("report_clinical.png"))
        self.assertGreater(page["colours"], 20, page)
        if ARGS.docs_screenshot:
            self.driver.set_window_size(1400, 1100)
            self.js("document.getElementById('clinical').scrollIntoView()")
            self.screenshot(os.path.basename(ARGS.docs_screenshot))
            os.replace(os.path.join(ARGS.screenshots, os.path.basename(ARGS.docs_screenshot)),
                       ARGS.docs_screenshot)
            self.driver.set_window_size(1400, 1000)

    def test_clicking_a_heading_sorts_the_rows(self):
        self.open(self.reports.examples)
        self.assertEqual(self.visible_column(1)[:3], ["cxr-001", "cxr-002", "cxr-003"])
        column = 2 + 9  # '#', 'id', then the metrics: BLEU-4 is the 10th
        self.header("BLEU-4").click()
        values = [float(v) for v in self.visible_column(column)]
        self.assertEqual(len(values), 24)
        self.assertEqual(values, sorted(values))
        self.assertNotEqual(self.visible_column(1)[:3], ["cxr-001", "cxr-002", "cxr-003"])
        self.assertEqual(self.js("""return document.querySelectorAll(
            '#sample-table th[aria-sort=ascending]').length"""), 1)
        self.header("BLEU-4").click()
        values = [float(v) for v in self.visible_column(column)]
        self.assertEqual(values, sorted(values, reverse=True))
        self.header("id").click()
        ids = self.visible_column(1)
        self.assertEqual(ids, sorted(ids))
        self.js("document.getElementById('samples').scrollIntoView()")
        self.screenshot("report_samples_sorted.png")
        self.assertEqual(self.browser.console_errors(), [])

    def test_filter_by_id_observation_and_disagreement(self):
        self.open(self.reports.examples)
        box = self.driver.find_element("id", "filter")
        box.send_keys("cxr-003")
        self.assertEqual(self.visible_column(1), ["cxr-003"])
        self.assertIn("1 of 24 samples match", self.driver.find_element("id", "count").text)
        box.clear()
        box.send_keys("Pneumothorax")
        rows = self.js("""return Array.from(document.querySelectorAll('#sample-table tbody'))
            .map(b => Array.from(b.querySelectorAll('.lb i')).map(i => i.textContent))""")
        self.assertGreater(len(rows), 0)
        self.assertLess(len(rows), 24)
        for chips in rows:
            self.assertIn("Pneumothorax", chips)
        box.clear()
        box.send_keys(" ")  # whitespace only: everything
        self.assertEqual(len(self.visible_column(1)), 24)
        self.driver.find_element("id", "only-disagree").click()
        disagreeing = self.js("""return Array.from(document.querySelectorAll('#sample-table tbody'))
            .map(b => b.classList.contains('d') && b.querySelectorAll('.lb i.x').length > 0)""")
        self.assertGreater(len(disagreeing), 0)
        self.assertTrue(all(disagreeing))
        self.screenshot("report_samples_filtered.png")

    def test_matching_words_and_label_chips(self):
        self.open(self.reports.examples)
        first = self.js("""const b = document.querySelector('#sample-table tbody');
            const sides = b.querySelectorAll('.pair > div');
            return {marks: Array.from(sides[0].querySelectorAll('mark')).map(m => m.textContent),
                    text: sides[0].textContent, chips: sides[0].querySelectorAll('.lb i').length,
                    heading: getComputedStyle(sides[0], '::before').content}""")
        self.assertIn("Lungs are clear. No pleural effusion or pneumothorax is", first["marks"])
        self.assertTrue(first["text"].startswith("Heart size is normal."))
        self.assertGreater(first["chips"], 0)
        self.assertLess(first["chips"], 14)
        self.assertEqual(first["heading"], '"prediction"')
        self.driver.find_element("id", "all-labels").click()
        chips = self.js("""return Array.from(document.querySelectorAll(
            '#sample-table tbody:first-of-type .pair > div')).map(d => d.querySelectorAll('.lb i').length)""")
        self.assertEqual(chips, [14, 14])

    def test_paging(self):
        self.open(self.reports.paged)
        self.assertEqual(len(self.visible_column(0)), 50)
        self.assertIn("rows 1\u201350 of 120", self.driver.find_element("id", "page-info").text)
        self.driver.find_element("id", "page-next").click()
        self.assertEqual(self.visible_column(0)[0], "51")
        self.header("#").click()
        self.header("#").click()  # descending: page 1 again, from 120
        self.assertEqual(self.visible_column(0)[0], "120")
        select = self.driver.find_element("id", "page-size")
        select.find_element("css selector", "option[value='250'], option:nth-child(4)").click()
        self.assertEqual(len(self.visible_column(0)), 120)
        self.assertEqual(self.browser.console_errors(), [])

    def test_worst_lists_open_and_link_to_the_table(self):
        self.open(self.reports.paged)
        details = self.driver.find_elements("css selector", "details.worst")
        self.assertEqual(len(details), 20)
        bleu4 = [d for d in details if d.text.startswith("BLEU-4")][0]
        self.js("arguments[0].scrollIntoView({block: 'center'})", bleu4)
        bleu4.find_element("tag name", "summary").click()
        # The list is drawn by the details' "toggle" event, which the browser fires after the
        # click returns: wait for it (a loaded machine made the immediate read find no rows).
        self.wait_for(lambda: self.js(
            "return arguments[0].querySelectorAll('table.worst tbody tr').length", bleu4) > 0)
        entries = self.js("""return Array.from(arguments[0].querySelectorAll('table.worst tbody tr'))
            .map(tr => ({id: tr.cells[1].textContent, value: parseFloat(tr.cells[2].textContent),
                         texts: tr.cells[3].querySelectorAll('.pair > div').length}))""", bleu4)
        self.assertEqual(len(entries), 20)
        values = [e["value"] for e in entries]
        self.assertEqual(values, sorted(values))
        self.assertTrue(all(e["texts"] == 2 for e in entries))
        self.screenshot("report_worst.png")
        last = entries[-1]["id"]
        bleu4.find_elements("css selector", "table.worst tbody tr a")[-1].click()
        shown = self.js("""const b = document.querySelector('#sample-table tbody.target');
                           return b ? b.rows[0].cells[1].textContent : null""")
        self.assertEqual(shown, last)

    def test_escaped_script_does_not_run(self):
        self.open(self.reports.xss)
        self.assertIsNone(self.js("return window.__rrg_pwned === undefined ? null : window.__rrg_pwned"))
        from selenium.common.exceptions import NoAlertPresentException
        with self.assertRaises(NoAlertPresentException):
            self.driver.switch_to.alert.text
        # Open every worst list (drawn by the script from the same texts), then look again.
        for d in self.driver.find_elements("css selector", "details.worst"):
            self.js("arguments[0].open = true", d)
        page = self.js("""return {pwned: window.__rrg_pwned === undefined ? null : window.__rrg_pwned,
            scripts: document.scripts.length, images: document.images.length,
            svgs: document.querySelectorAll('svg:not(.chart)').length,
            text: document.body.innerText}""")
        self.assertIsNone(page["pwned"])
        self.assertEqual(page["scripts"], 2)  # the data block and the report's own script
        self.assertEqual(page["images"], 0)
        self.assertEqual(page["svgs"], 0)
        self.assertIn("<script>window.__rrg_pwned = 1; alert(1)</script>", page["text"])
        self.assertIn("x0<script>window.__rrg_pwned=10</script>", page["text"])
        self.assertEqual(self.browser.console_errors(), [])
        self.js("document.getElementById('samples').scrollIntoView()")
        self.screenshot("report_escaped_scripts.png")

    def test_compare_report(self):
        self.open(self.reports.compare)
        self.assertEqual(self.browser.console_errors(), [])
        self.assertEqual(self.js("return performance.getEntriesByType('resource').length"), 0)
        with open(self.reports.compare_json, encoding="utf-8") as doc:
            expected = json.load(doc)["systems"]
        # The summary: each system's value, the other's p-value, significant ones marked.
        row = self.js("""const th = Array.from(document.querySelectorAll('#summary table.metrics th'))
            .find(h => h.textContent === 'BLEU-4');
            return Array.from(th.parentElement.cells).map(c => c.textContent)""")
        self.assertEqual(row[2], f"{expected['model']['BLEU-4']['value']:.4f}")
        p = expected["normal"]["BLEU-4"]["p_value"]
        self.assertIn(f"{p:.4f}" + ("*" if p < 0.05 else ""), row)
        self.assertGreater(self.js("return document.querySelectorAll('#summary td.signif').length"), 0)
        # Per-observation F1: 14 bars per system, bootstrap whiskers drawn.
        f1 = self.js("""const svg = document.getElementById('chart-f1');
            return {bars: svg.querySelectorAll('rect.bar').length,
                    whiskers: Array.from(svg.querySelectorAll('path.interval')).filter(p => {
                      const box = p.getBoundingClientRect(); return box.width > 0; }).length,
                    legend: svg.textContent}""")
        self.assertEqual(f1["bars"], 28)
        self.assertGreater(f1["whiskers"], 5)
        self.assertIn("model", f1["legend"])
        self.assertIn("normal", f1["legend"])
        self.js("document.getElementById('clinical').scrollIntoView()")
        page = self.browser.image_summary(self.screenshot("compare_clinical.png"))
        self.assertGreater(page["colours"], 20, page)
        # Every system's text beside the reference, headed by the system's name.
        headings = self.js("""return Array.from(document.querySelectorAll(
            '#sample-table tbody:first-of-type .pair > div'))
            .map(d => getComputedStyle(d, '::before').content)""")
        self.assertEqual(headings, ['"model"', '"normal"', '"reference"'])
        # "normal" answers every sample with one text, stored once in the page and drawn for each.
        with open(os.path.join(SOURCE, "examples", "pred_normal.jsonl"), encoding="utf-8") as f:
            normal = [json.loads(line)["report"] for line in f]
        drawn = self.js("""return Array.from(document.querySelectorAll('#sample-table tbody'))
            .map(b => b.querySelectorAll('.pair > div')[1].innerText)""")
        self.assertEqual(len(drawn), 24)
        for shown, expected_text in zip(drawn, normal):
            self.assertTrue(shown.startswith(expected_text), (shown, expected_text))
        self.assertEqual(self.js("return window.rrgReport.shared_texts.length > 0"), True)
        # Sorting by one system's column.
        column = [h.text.replace("\n", "") for h in self.driver.find_elements(
            "css selector", "#sample-table thead th")].index("normal: BLEU-4")
        self.header("normal: BLEU-4").click()
        values = [float(v) for v in self.visible_column(column)]
        self.assertEqual(len(values), 24)
        self.assertEqual(values, sorted(values))
        # A worst list per system: open the second system's first one.
        systems = self.js("return Array.from(document.querySelectorAll('#worst h3')).map(h => h.textContent)")
        self.assertEqual(systems, ["model", "normal"])
        details = self.driver.find_elements("css selector", "details.worst")
        second = details[len(details) // 2]
        self.js("arguments[0].scrollIntoView({block: 'center'})", second)
        second.find_element("tag name", "summary").click()
        self.wait_for(lambda: self.js(
            "return arguments[0].querySelectorAll('table.worst tbody tr').length", second) > 0)
        texts = self.js("""return Array.from(arguments[0].querySelectorAll('table.worst tbody tr'))
            .map(tr => tr.cells[3].querySelectorAll('.pair > div').length)""", second)
        self.assertEqual(len(texts), 20)
        self.assertTrue(all(n == 3 for n in texts), texts)
        self.js("document.getElementById('samples').scrollIntoView()")
        self.screenshot("compare_samples_sorted.png")
        self.assertEqual(self.browser.console_errors(), [])
        if ARGS.docs_compare_screenshot:
            self.driver.set_window_size(1400, 1100)
            self.js("document.getElementById('summary').scrollIntoView()")
            name = os.path.basename(ARGS.docs_compare_screenshot)
            self.screenshot(name)
            os.replace(os.path.join(ARGS.screenshots, name), ARGS.docs_compare_screenshot)
            self.driver.set_window_size(1400, 1000)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("rrg")
    parser.add_argument("screenshots")
    parser.add_argument("--docs-screenshot")
    parser.add_argument("--docs-compare-screenshot")
    ARGS, rest = parser.parse_known_args()
    browser.skip_unless_available()
    program = unittest.main(argv=[sys.argv[0], "-v", *rest], exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
