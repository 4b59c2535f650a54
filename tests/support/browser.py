"""Real headless Chromium for rrg's browser tests.

Debian's `chromium` and `chromium-driver`, driven by `python3-selenium` (installed by
scripts/test.sh). Run with /usr/bin/python3. A test that cannot run here (no selenium, no
browser) calls skip_unless_available(), which exits 77: CTest reports the test as skipped.

The browser is started with a fresh profile and everything that could reach the network off
(this machine's network is closed; a report must not need it anyway).
"""
import base64
import os
import shutil
import sys
import tempfile

SKIP = 77
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def skip(reason):
    print(f"skipped: {reason}")
    sys.exit(SKIP)


def skip_unless_available():
    try:
        import selenium  # noqa: F401
    except ImportError:
        skip("python3-selenium is not installed (scripts/test.sh installs it)")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            skip(f"{path} is missing (Debian package {package}; scripts/test.sh installs it)")


class Browser:
    """One headless Chromium with a fresh --user-data-dir, removed by quit()."""

    def __init__(self, width=1400, height=1000):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="rrg-chromium-")
        options = webdriver.ChromeOptions()
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.binary_location = CHROMIUM
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        except Exception as error:  # a browser that cannot start here is an environment problem
            shutil.rmtree(self.profile, ignore_errors=True)
            skip(f"Chromium did not start: {str(error).splitlines()[0]}")

    def console(self):
        """The browser console since the last call: [{"level", "message"}]."""
        return self.driver.get_log("browser")

    def console_errors(self):
        return [entry for entry in self.console() if entry["level"] == "SEVERE"]

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def image_summary(self, png):
        """{"width", "height", "colours", "ink"} of PNG bytes (a screenshot): distinct colours
        and the share of non-white pixels, decoded by the browser itself in a blank tab (no
        Python imaging library needed)."""
        driver = self.driver
        home = driver.current_window_handle
        driver.switch_to.new_window("tab")
        try:
            driver.get("about:blank")
            return driver.execute_async_script(
                """
                const [b64, done] = arguments;
                const image = new Image();
                image.onload = () => {
                  const canvas = document.createElement('canvas');
                  canvas.width = image.width;
                  canvas.height = image.height;
                  const context = canvas.getContext('2d');
                  context.drawImage(image, 0, 0);
                  const data = context.getImageData(0, 0, image.width, image.height).data;
                  const colours = new Set();
                  let ink = 0;
                  for (let i = 0; i < data.length; i += 4) {
                    const rgb = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
                    colours.add(rgb);
                    if (rgb !== 0xffffff) ink++;
                  }
                  done({width: image.width, height: image.height, colours: colours.size,
                        ink: ink / (data.length / 4)});
                };
                image.onerror = () => done(null);
                image.src = 'data:image/png;base64,' + b64;
                """, base64.b64encode(png).decode())
        finally:
            driver.close()
            driver.switch_to.window(home)
