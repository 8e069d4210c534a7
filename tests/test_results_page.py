"""The results page of a small real run, opened in headless Chromium: no console errors, one row per
error of errors.csv, players whose audio decodes to the clip's duration, working filters."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest

from pipeline.evaluate.stage import run_evaluate
from tests.browser import chromium
from tests.corpus import trained_project


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = trained_project(tmp_path_factory.mktemp("page"))
    out = root / "results" / "massive" / "evaluate"
    run_evaluate("massive", root / "models" / "massive" / "model.pt", root / "features", root / "raw", out)
    return root


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def rows(browser) -> list:
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, "#clips tbody tr")


def test_the_page_opens_from_disk_and_lists_every_error(run, browser):
    out = run / "results" / "massive" / "evaluate"
    browser.get((out / "index.html").as_uri())
    with open(out / "errors.csv", encoding="utf-8") as handle:
        errors = list(csv.DictReader(handle))
    assert errors  # a tiny model on 12 test clips gets some wrong
    shown = rows(browser)
    assert len(shown) == len(errors)
    assert sorted(int(r.get_attribute("data-id")) for r in shown) == sorted(int(e["id"]) for e in errors)
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []
    metrics = json.loads((out / "metrics.json").read_text())
    headline = browser.find_element("id", "headline").text
    assert f"{metrics['accuracy']:.3f}" in headline and f"{metrics['accuracy_ci']['high']:.3f}" in headline


def test_a_player_plays_the_clip_itself(run, browser):
    from selenium.webdriver.support.ui import Select, WebDriverWait

    out = run / "results" / "massive" / "evaluate"
    browser.get((out / "index.html").as_uri())
    Select(browser.find_element("id", "intent")).select_by_index(0)  # no intent filter left from a reload
    Select(browser.find_element("id", "show")).select_by_value("all")  # any clip will do, right or wrong
    first = WebDriverWait(browser, 10).until(rows)[0]
    rid = int(first.get_attribute("data-id"))
    first.find_element("tag name", "button").click()
    duration = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const audio = document.querySelector(`#clips tr[data-id="${arguments[0]}"] audio`);
        const report = () => done(audio.duration);
        if (audio.readyState >= 1) report(); else audio.addEventListener("loadedmetadata", report);""",
        rid,
    )
    table = pq.read_table(run / "raw" / "recordings-00000.parquet", columns=["id", "duration_s"]).to_pydict()
    durations = dict(zip(table["id"], table["duration_s"], strict=True))
    assert duration == pytest.approx(durations[rid], abs=0.03)  # make_zenodo: id i lasts 0.4 + 0.05 i s


def test_the_index_links_to_each_config_page(run, browser, cli):
    from tests.corpus import dump_params

    params = dump_params(run / "params.yaml", {"data": {"configs": ["massive"]}})
    result = cli("summarize", "--params", params, "--results", run / "results", "--html", run / "index.html")
    assert result.exit_code == 0, result.stderr
    browser.get((run / "index.html").as_uri())
    browser.find_element("link text", "massive").click()
    assert browser.title == "massive test run: italic-cnn"
    assert browser.find_element("tag name", "h1").text == "massive: test run"


def test_filtering_by_an_intent_leaves_only_its_clips(run, browser):
    from selenium.webdriver.support.ui import Select

    out = run / "results" / "massive" / "evaluate"
    browser.get((out / "index.html").as_uri())
    Select(browser.find_element("id", "show")).select_by_value("all")
    predictions = pq.read_table(out / "predictions.parquet").to_pylist()
    assert len(rows(browser)) == len(predictions)
    intent = predictions[3]["true"]
    Select(browser.find_element("id", "intent")).select_by_visible_text(intent)
    shown = rows(browser)
    assert {r.get_attribute("data-true") for r in shown} == {intent}
    assert len(shown) == sum(p["true"] == intent for p in predictions)
    assert browser.find_element("id", "shown").get_attribute("data-count") == str(len(shown))


def test_a_clip_encodes_to_the_same_bytes_every_time_and_still_decodes():
    """libsndfile draws each Ogg stream's serial at random; the page fixes it (and the pages' CRCs),
    so identical runs write identical pages."""
    import base64
    import io

    import numpy as np
    import soundfile as sf

    from pipeline.evaluate.page import audio_data_uri

    wave = (0.1 * np.random.default_rng(0).standard_normal(20000)).astype(np.float32)
    first, second = audio_data_uri(wave, 16000, 42), audio_data_uri(wave, 16000, 42)
    assert first == second and audio_data_uri(wave, 16000, 43) != first
    decoded, rate = sf.read(io.BytesIO(base64.b64decode(first.split(",", 1)[1])))  # libogg checks every CRC
    assert rate == 16000 and len(decoded) == len(wave)
    assert np.corrcoef(decoded, wave)[0, 1] > 0.5  # lossy, but the same signal
