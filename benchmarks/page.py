"""How heavy a results page is: its size, and how long headless Chromium takes to load it, to show
every clip, and to filter by an intent; optionally a screenshot.

    python benchmarks/page.py results/massive/evaluate/index.html [--repeat 3] [--screenshot docs/page.png]

Needs Chromium and chromedriver (Debian: apt install chromium chromium-driver) and selenium (the dev
extra). Each figure is the median of --repeat fresh loads. The baseline, in the same run, is a page
of the same rows without audio: what embedding the clips costs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import chromium  # noqa: E402

TIMINGS = """
const nav = performance.getEntriesByType("navigation")[0];
return [nav.domContentLoadedEventEnd, nav.loadEventEnd, document.querySelectorAll("#clips tbody tr").length];
"""


def measure(page: Path, repeat: int) -> dict[str, float]:
    from selenium.webdriver.support.ui import Select

    loads, readies, alls, filters, rows = [], [], [], [], 0
    with tempfile.TemporaryDirectory() as profile:
        browser = chromium(Path(profile))
        try:
            for _ in range(repeat):
                browser.get(page.resolve().as_uri())
                ready, load, rows = browser.execute_script(TIMINGS)
                readies.append(ready)
                loads.append(load)
                started = time.perf_counter()
                Select(browser.find_element("id", "show")).select_by_value("all")
                browser.execute_script("return document.querySelectorAll('#clips tbody tr').length")
                alls.append(1000 * (time.perf_counter() - started))
                intent = Select(browser.find_element("id", "intent")).options[1].text
                started = time.perf_counter()
                Select(browser.find_element("id", "intent")).select_by_visible_text(intent)
                browser.execute_script("return document.querySelectorAll('#clips tbody tr').length")
                filters.append(1000 * (time.perf_counter() - started))
        finally:
            browser.quit()
    return {"ready_ms": statistics.median(readies), "load_ms": statistics.median(loads),
            "all_ms": statistics.median(alls), "filter_ms": statistics.median(filters), "rows": rows}  # fmt: skip


def without_audio(page: Path, out: Path) -> Path:
    out.write_text(re.sub(r'"data:audio/ogg;codecs=vorbis;base64,[A-Za-z0-9+/=]*"', '""', page.read_text()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bare = without_audio(args.page, Path(folder) / "bare.html")
        pages = {"page": args.page, "same page without audio": bare}
        results = {name: measure(path, args.repeat) for name, path in pages.items()}
        sizes = {name: path.stat().st_size / 2**20 for name, path in pages.items()}
    print("| page | size MiB | DOM ready ms | loaded ms | show every clip ms | filter by an intent ms | rows at load |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {sizes[name]:.1f} | {r['ready_ms']:.0f} | {r['load_ms']:.0f} | {r['all_ms']:.0f} | "
              f"{r['filter_ms']:.0f} | {r['rows']} |")  # fmt: skip
    ratio = results["page"]["load_ms"] / max(results["same page without audio"]["load_ms"], 1)
    print(f"load time with audio / without: {ratio:.2f}x")
    if args.screenshot:
        with tempfile.TemporaryDirectory() as profile:
            browser = chromium(Path(profile))
            try:
                browser.set_window_size(1400, 2000)
                browser.get(args.page.resolve().as_uri())
                time.sleep(0.5)
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                browser.save_screenshot(str(args.screenshot))
            finally:
                browser.quit()
        print(f"screenshot: {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
