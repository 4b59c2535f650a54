"""Browser tests of the `rrg serve` page in real headless Chromium.

    serve_browser_test.py RRG_BINARY RRG_LLM_DEV_BINARY SCREENSHOT_DIR
                          [--docs-screenshot PNG] [--docs-report-screenshot PNG]
                          [--docs-encoder-screenshot PNG] [TESTS...]

Starts the scripted loopback OpenAI-compatible server of the generate tests (`rrg-llm-dev
serve`) and the real `rrg serve` pointed at it, both on ephemeral loopback ports, then in the
page: uploads a 16-bit PNG and a DICOM (written here, byte by byte), checks the preview the
server decoded, presses Generate and checks the report streamed in as several deltas and ends as
the model's answer, that the label chips show, and that a typed reference gives every metric
with its signature and the reference's chips. A second server without --base-url must say that
generation needs a model server and still score. The report tab turns the bundled example files
into the HTML report of `rrg evaluate --html`. With an image encoder (a tiny random TorchScript
classifier made by python3-torch; skipped without it), Generate shows its probabilities as one
labelled bar per named output, with the values `rrg generate --encoder-only` gives for the same
image. No console errors anywhere. Screenshots go to
SCREENSHOT_DIR; --docs-screenshot / --docs-report-screenshot also write the README's pictures.
Exit 77 (skipped) without a browser.
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "tests", "support"))
import browser  # noqa: E402

ARGS = None

PREDICTION_HINT = "Describe this chest X-ray."
REFERENCE = ("Mild cardiomegaly. Small left pleural effusion with adjacent atelectasis. "
             "No pneumothorax.")


def write_png16(path, width=96, height=72):
    """A 16-bit greyscale PNG (a ramp with a bright square), written with zlib only."""
    rows = b""
    for y in range(height):
        row = b"\x00"
        for x in range(width):
            value = 300 + 30 * x + 10 * y
            if width // 3 < x < 2 * width // 3 and height // 3 < y < 2 * height // 3:
                value = 4000
            row += struct.pack(">H", value)
        rows += row

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                  + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def write_dicom(path, width=64, height=48):
    """A 12-bit MONOCHROME2 DICOM (explicit VR little endian) with a VOI window."""

    def element(group, elem, vr, value):
        if isinstance(value, str):
            value = value.encode()
            if len(value) % 2:
                value += b"\x00" if vr == "UI" else b" "
        if vr in ("OB", "OW", "UN", "SQ", "UT"):
            return struct.pack("<HH2sHI", group, elem, vr.encode(), 0, len(value)) + value
        return struct.pack("<HH2sH", group, elem, vr.encode(), len(value)) + value

    sop_class = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image Storage - For Presentation
    sop_instance = "1.2.826.0.1.3680043.9.7433.1.1"
    syntax = "1.2.840.10008.1.2.1"
    meta = (element(0x0002, 0x0001, "OB", b"\x00\x01")
            + element(0x0002, 0x0002, "UI", sop_class)
            + element(0x0002, 0x0003, "UI", sop_instance)
            + element(0x0002, 0x0010, "UI", syntax)
            + element(0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.9.7433"))
    meta = element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta))) + meta
    pixels = b"".join(struct.pack("<H", (64 * x + 40 * y) % 4096)
                      for y in range(height) for x in range(width))
    data = (element(0x0008, 0x0016, "UI", sop_class)
            + element(0x0008, 0x0018, "UI", sop_instance)
            + element(0x0008, 0x0060, "CS", "DX")
            + element(0x0018, 0x5101, "CS", "PA")
            + element(0x0028, 0x0002, "US", struct.pack("<H", 1))
            + element(0x0028, 0x0004, "CS", "MONOCHROME2")
            + element(0x0028, 0x0010, "US", struct.pack("<H", height))
            + element(0x0028, 0x0011, "US", struct.pack("<H", width))
            + element(0x0028, 0x0100, "US", struct.pack("<H", 16))
            + element(0x0028, 0x0101, "US", struct.pack("<H", 12))
            + element(0x0028, 0x0102, "US", struct.pack("<H", 11))
            + element(0x0028, 0x0103, "US", struct.pack("<H", 0))
            + element(0x0028, 0x1050, "DS", "2048")
            + element(0x0028, 0x1051, "DS", "2048")
            + element(0x7FE0, 0x0010, "OW", pixels))
    with open(path, "wb") as out:
        out.write(b"\x00" * 128 + b"DICM" + meta + data)


class Process:
    """A background program that prints a line with its URL; stopped with SIGTERM."""

    def __init__(self, argv, pattern, log_path):
        self.log = open(log_path, "w+")
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                        env={**os.environ, "RRG_CONFIG": "/dev/null"})
        deadline = time.time() + 60
        self.url = None
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.search(pattern, line)
            if match:
                self.url = match.group(1)
                break
        if self.url is None:
            self.stop()
            self.log.seek(0)
            raise AssertionError(f"{argv[0]} did not start: {self.log.read()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait()
        return self.process.returncode


ENCODER_LABELS = ["Atelectasis", "Cardiomegaly", "", "Effusion", "Edema"]


def make_encoder(directory):
    """A tiny random TorchScript classifier and its labels file, or None without python3-torch
    or a build without the libtorch module."""
    rrg_dir = os.path.dirname(os.path.abspath(ARGS.rrg))
    if not os.path.exists(os.path.join(rrg_dir, "librrg_torch.so")):
        return None
    if subprocess.run(["/usr/bin/python3", "-c", "import torch"], capture_output=True).returncode:
        return None
    model = os.path.join(directory, "tiny.pt")
    labels = os.path.join(directory, "labels.txt")
    subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "tests", "pipelines",
                                                     "encoder_reference.py"),
                    "make-model", model, "--outputs", str(len(ENCODER_LABELS))], check=True,
                   capture_output=True)
    with open(labels, "w") as out:
        out.write("\n".join(ENCODER_LABELS) + "\n")
    return ["--encoder", model, "--encoder-labels", labels, "--encoder-threads", "1"]


class ServePage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="rrg-serve-browser-")
        cls.png = os.path.join(cls.dir, "chest16.png")
        cls.dicom = os.path.join(cls.dir, "chest.dcm")
        write_png16(cls.png)
        write_dicom(cls.dicom)
        cls.llm = Process([ARGS.llm_dev, "serve", "--port", "0"], r"listening on (\S+)",
                          os.path.join(cls.dir, "llm.log"))
        cls.serve = Process([ARGS.rrg, "serve", "--port", "0", "--base-url", cls.llm.url,
                             "--model", "vlm-test", "--no-cache", "--prompt", PREDICTION_HINT],
                            r"listening on (\S+)", os.path.join(cls.dir, "serve.log"))
        cls.plain = Process([ARGS.rrg, "serve", "--port", "0"], r"listening on (\S+)",
                            os.path.join(cls.dir, "plain.log"))
        cls.encoder_flags = make_encoder(cls.dir)
        cls.encoded = None
        if cls.encoder_flags:
            cls.encoded = Process([ARGS.rrg, "serve", "--port", "0", "--base-url", cls.llm.url,
                                   "--model", "vlm-test", "--no-cache", *cls.encoder_flags],
                                  r"listening on (\S+)", os.path.join(cls.dir, "encoded.log"))
            cls.encoder_alone = Process([ARGS.rrg, "serve", "--port", "0", *cls.encoder_flags],
                                        r"listening on (\S+)",
                                        os.path.join(cls.dir, "encoder_alone.log"))
        cls.browser = browser.Browser(1400, 1000)
        cls.driver = cls.browser.driver
        os.makedirs(ARGS.screenshots, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        codes = [cls.serve.stop(), cls.plain.stop()]
        if cls.encoded:
            codes += [cls.encoded.stop(), cls.encoder_alone.stop()]
        cls.llm.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)
        if any(codes):
            raise AssertionError(f"rrg serve exit statuses after SIGTERM: {codes}")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait_for(self, script, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.05)
        errors = self.js("return document.querySelector('.error:not(:empty)')?.textContent")
        self.fail(f"timed out waiting for {what} (page error: {errors})")

    def open(self, url):
        self.browser.console()
        self.driver.get(url)
        self.wait_for("return document.body.dataset.ready", "the page to ask /v1/health")

    def upload(self, path):
        field = self.driver.find_element("id", "file")
        self.js("arguments[0].hidden = false", field)
        self.js("arguments[0].value = ''", field)
        field.send_keys(path)
        self.js("arguments[0].hidden = true", field)
        name = os.path.basename(path)
        self.wait_for(f"return document.getElementById('image-info').textContent.startsWith("
                      f"'{name}')", f"the preview of {name}")
        return self.js("const p = document.getElementById('preview');"
                       "return [p.naturalWidth, p.naturalHeight, p.src.slice(0, 23)]")

    def screenshot(self, name):
        png = self.driver.get_screenshot_as_png()
        with open(os.path.join(ARGS.screenshots, name), "wb") as out:
            out.write(png)
        return png

    def chips(self, container):
        return self.js(f"return Object.fromEntries([...document.querySelectorAll('#{container} "
                       f"span')].map(s => [s.dataset.observation, s.dataset.value]))")

    def test_upload_generate_stream_label_and_score(self):
        self.open(self.serve.url)
        self.assertFalse(self.js("return document.getElementById('no-model').offsetParent"))
        width, height, prefix = self.upload(self.dicom)
        self.assertEqual((width, height, prefix), (64, 48, "data:image/jpeg;base64,"))
        width, height, prefix = self.upload(self.png)
        self.assertEqual((width, height, prefix), (96, 72, "data:image/jpeg;base64,"))
        self.driver.find_element("id", "indication").send_keys("Cough and fever.")
        self.driver.find_element("id", "generate").click()
        self.wait_for("return document.getElementById('prediction').dataset.done",
                      "the generated report")
        report = self.js("return document.getElementById('prediction').value")
        self.assertTrue(report.startswith("echo: "), report)
        self.assertIn(PREDICTION_HINT, report)
        deltas = int(self.js("return document.getElementById('prediction').dataset.deltas"))
        self.assertGreater(deltas, 1, "the report arrived in one piece, not streamed")
        self.assertEqual(len(self.chips("prediction-chips")), 14)

        # A typed draft and reference: every metric with its signature, and both sides' chips.
        self.js("document.getElementById('prediction').value = arguments[0]",
                "Heart size is mildly enlarged. Small left pleural effusion. No pneumothorax.")
        self.driver.find_element("id", "reference").send_keys(REFERENCE)
        self.driver.find_element("id", "score").click()
        self.wait_for("return document.getElementById('metrics-table').dataset.done", "metrics")
        rows = self.js("return [...document.querySelectorAll('#metrics-table tbody tr')].map("
                       "r => [r.dataset.metric, r.cells[1].textContent, r.cells[2].textContent])")
        metrics = {name: (value, signature) for name, value, signature in rows}
        for key in ("BLEU-4", "METEOR", "ROUGE-L", "Bleu_4", "CIDEr",
                    "chexpert_micro_f1_14_uzeros"):
            self.assertIn(key, metrics)
        self.assertTrue(metrics["BLEU-4"][1].startswith("BLEU-4|conv:nltk-3.8"), metrics["BLEU-4"])
        self.assertRegex(metrics["METEOR"][0], r"^0\.\d{4}$")
        reference = self.chips("reference-chips")
        self.assertEqual(reference["Cardiomegaly"], "1")
        self.assertEqual(reference["Pleural Effusion"], "1")
        self.assertEqual(reference["Pneumothorax"], "0")
        self.assertEqual(self.chips("prediction-chips")["Pleural Effusion"], "1")
        self.assertEqual(self.browser.console_errors(), [])
        page = self.browser.image_summary(self.screenshot("serve_page.png"))
        self.assertGreater(page["colours"], 50)
        if ARGS.docs_screenshot:
            shutil.copyfile(os.path.join(ARGS.screenshots, "serve_page.png"), ARGS.docs_screenshot)

    def test_encoder_probabilities_show_as_bars(self):
        if not self.encoder_flags:
            self.skipTest("needs python3-torch and the libtorch module (librrg_torch.so)")
        # What `rrg generate --encoder-only` gives for the same file.
        studies = os.path.join(self.dir, "studies.jsonl")
        probs = os.path.join(self.dir, "probs.jsonl")
        with open(studies, "w") as out:
            out.write(json.dumps({"id": "png", "images": [self.png]}) + "\n")
        subprocess.run([ARGS.rrg, "generate", "--studies", studies, "--encoder-only", "-o", probs,
                        "--overwrite", *self.encoder_flags], check=True, capture_output=True,
                       env={**os.environ, "RRG_CONFIG": "/dev/null"})
        with open(probs) as lines:
            want = json.loads(lines.readline())
        named = [label for label in ENCODER_LABELS if label]
        self.assertEqual(list(want["probabilities"]), named)

        self.open(self.encoded.url)
        self.assertIn("encoder", self.driver.find_element("id", "server-status").text)
        self.assertFalse(self.driver.find_element("id", "encoder-card").is_displayed())
        self.upload(self.png)
        self.driver.find_element("id", "generate").click()
        self.wait_for("return document.getElementById('encoder-card').dataset.done",
                      "the encoder's bars")
        self.wait_for("return document.getElementById('prediction').dataset.done",
                      "the generated report")
        bars = self.js("return [...document.querySelectorAll('#encoder-bars .track')].map(t => "
                       "[t.dataset.observation, t.dataset.probability, "
                       "t.firstChild.getBoundingClientRect().width / "
                       "t.getBoundingClientRect().width, "
                       "t.previousElementSibling.textContent, t.nextElementSibling.textContent])")
        self.assertEqual([b[0] for b in bars], named)
        for name, probability, fraction, label, number in bars:
            p = want["probabilities"][name]
            self.assertEqual(float(probability), p, name)  # the same double, not a rounding
            self.assertAlmostEqual(fraction, p, delta=0.01, msg=name)  # the drawn length
            self.assertEqual(label, name)
            self.assertAlmostEqual(float(number), p, delta=0.0005, msg=name)
        self.assertEqual(self.js("return document.getElementById('encoder-hints').textContent"),
                         "Hints: " + want["findings_hints"])
        # The hints went into the prompt (the fake server echoes it into the report).
        self.assertIn(want["findings_hints"],
                      self.js("return document.getElementById('prediction').value"))
        self.assertEqual(len(self.chips("prediction-chips")), 14)
        self.assertEqual(self.browser.console_errors(), [])
        self.assertGreater(
            self.browser.image_summary(self.screenshot("serve_page_encoder.png"))["colours"], 50)
        if ARGS.docs_encoder_screenshot:
            shutil.copyfile(os.path.join(ARGS.screenshots, "serve_page_encoder.png"),
                            ARGS.docs_encoder_screenshot)

    def test_encoder_without_model_server_classifies(self):
        if not self.encoder_flags:
            self.skipTest("needs python3-torch and the libtorch module (librrg_torch.so)")
        self.open(self.encoder_alone.url)
        self.assertTrue(self.driver.find_element("id", "no-model").is_displayed())
        button = self.driver.find_element("id", "generate")
        self.assertEqual(button.text, "Classify")
        self.upload(self.dicom)
        self.assertTrue(button.is_enabled())
        self.js("document.getElementById('prediction').value = 'Typed draft.'")
        button.click()
        self.wait_for("return document.getElementById('encoder-card').dataset.done",
                      "the encoder's bars")
        self.assertEqual(self.js("return document.querySelectorAll('#encoder-bars .track')"
                                 ".length"), len([label for label in ENCODER_LABELS if label]))
        # No model wrote anything: the typed draft stays.
        self.assertEqual(self.js("return document.getElementById('prediction').value"),
                         "Typed draft.")
        self.assertEqual(self.js("return document.getElementById('generate-error').textContent"),
                         "")
        self.assertEqual(self.browser.console_errors(), [])
        self.screenshot("serve_page_encoder_only.png")

    def test_without_model_server_the_page_says_so_and_still_scores(self):
        self.open(self.plain.url)
        notice = self.driver.find_element("id", "no-model")
        self.assertTrue(notice.is_displayed())
        self.assertIn("Generation needs a model server", notice.text)
        self.upload(self.png)
        self.assertFalse(self.driver.find_element("id", "generate").is_enabled())
        self.js("document.getElementById('prediction').value = 'No acute process.'")
        self.driver.find_element("id", "reference").send_keys("Normal chest radiograph.")
        self.driver.find_element("id", "score").click()
        self.wait_for("return document.getElementById('metrics-table').dataset.done", "metrics")
        self.assertGreater(self.js("return document.querySelectorAll('#metrics-table tbody tr')"
                                   ".length"), 20)
        self.assertEqual(self.browser.console_errors(), [])
        self.screenshot("serve_page_no_model.png")

    def test_report_tab_shows_the_html_report(self):
        self.open(self.plain.url)
        self.driver.find_element("id", "tab-button-report").click()
        examples = os.path.join(SOURCE, "examples")
        self.driver.find_element("id", "pred-file").send_keys(os.path.join(examples, "pred.jsonl"))
        self.driver.find_element("id", "ref-file").send_keys(os.path.join(examples, "ref.jsonl"))
        self.driver.find_element("id", "make-report").click()
        self.wait_for("return document.getElementById('report-frame').dataset.done", "the report")
        frame = self.driver.find_element("id", "report-frame")
        self.driver.switch_to.frame(frame)
        try:
            deadline = time.time() + 20
            while time.time() < deadline and not self.js(
                    "return document.querySelectorAll('svg rect').length"):
                time.sleep(0.05)
            self.assertGreater(self.js("return document.querySelectorAll('svg rect').length"), 5)
            self.assertIn("BLEU-4", self.js("return document.body.textContent"))
        finally:
            self.driver.switch_to.default_content()
        self.assertEqual(self.browser.console_errors(), [])
        self.screenshot("serve_report_tab.png")
        if ARGS.docs_report_screenshot:
            shutil.copyfile(os.path.join(ARGS.screenshots, "serve_report_tab.png"),
                            ARGS.docs_report_screenshot)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("rrg")
    parser.add_argument("llm_dev")
    parser.add_argument("screenshots")
    parser.add_argument("--docs-screenshot")
    parser.add_argument("--docs-report-screenshot")
    parser.add_argument("--docs-encoder-screenshot")
    ARGS, rest = parser.parse_known_args()
    browser.skip_unless_available()
    program = unittest.main(argv=[sys.argv[0], "-v", *rest], exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
