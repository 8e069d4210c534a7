"""Inputs an attacker or a careless user would give: a folder of someone's work as `--out`, tiny files
whose headers ask for gigabytes, FIFOs and devices named `.wav`, runaway params, edited checkpoints.
Each is one line and a non-zero exit (or a counted skip), in bounded time and memory, and nothing the
command was not asked to write is touched."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
import yaml

from pipeline.atomic import OUTPUT_MARKER, NotOurFolder, atomic_dir
from pipeline.audio import MAX_AUDIO_SECONDS, AudioProblem, decode, read_audio_file
from pipeline.errors import ParamsError
from pipeline.evaluate.stage import csv_cell
from pipeline.files import FileRefused, read_capped
from pipeline.params import load_params
from tests.conftest import ROOT
from tests.corpus import dump_params, make_zenodo, tone, write_split
from tests.faults.helpers import one_line_error

ITALIC_CNN = [sys.executable, "-m", "pipeline"]


def a_users_project(folder: Path) -> dict[str, bytes]:
    """A folder holding someone's work: what `--out` must never delete."""
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "params.yaml").write_text("seed: 1\n")
    (folder / "notes.txt").write_text("three months of work\n")
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- data loss --------------------------------------------------------------------------------------


def test_synth_refuses_a_folder_it_did_not_write_and_leaves_it_whole(tmp_path, cli):
    before = a_users_project(tmp_path / "work")
    started = time.perf_counter()
    result = cli("synth", "--recordings", "390", "--out", tmp_path / "work", "--params", ROOT / "params.yaml")
    line = one_line_error(result)
    assert "not empty and not an earlier output of `italic-cnn synth`" in line and "work" in line
    assert time.perf_counter() - started < 10  # refused before planning or rendering anything
    assert snapshot(tmp_path / "work") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]  # no temp folder beside it either


def test_download_and_featurize_refuse_a_users_folder(tmp_path, cli):
    make_zenodo(tmp_path / "corpus", n=12)
    params = dump_params(tmp_path / "params.yaml", {"data": {"source": "zenodo", "path": str(tmp_path / "corpus")}})
    before = a_users_project(tmp_path / "work")
    line = one_line_error(cli("download", "--params", params, "--out", tmp_path / "work"))
    assert "italic-cnn download" in line
    assert cli("download", "--params", params, "--out", tmp_path / "raw").exit_code == 0
    line = one_line_error(cli("featurize", "--params", params, "--raw", tmp_path / "raw", "--out", tmp_path / "work"))
    assert "italic-cnn featurize" in line
    assert snapshot(tmp_path / "work") == before
    # a stage's own earlier output is replaced, as `dvc repro` and a second manual run need
    assert (tmp_path / "raw" / OUTPUT_MARKER).read_text().strip() == "download"
    assert cli("download", "--params", params, "--out", tmp_path / "raw").exit_code == 0


def test_atomic_dir_replaces_only_missing_empty_own_or_legacy_folders(tmp_path):
    for name in ("missing", "empty"):
        if name == "empty":
            (tmp_path / name).mkdir()
        with atomic_dir(tmp_path / name, "download") as tmp:
            (tmp / "manifest.json").write_text("{}")
        assert (tmp_path / name / "manifest.json").exists()
    with atomic_dir(tmp_path / "missing", "download") as tmp:  # its own output
        (tmp / "manifest.json").write_text('{"again": 1}')
    assert json.loads((tmp_path / "missing" / "manifest.json").read_text()) == {"again": 1}
    with pytest.raises(NotOurFolder), atomic_dir(tmp_path / "missing", "featurize"):  # another command's
        pass
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "manifest.json").write_text("{}")
    (tmp_path / "legacy" / "recordings-00000.parquet").write_bytes(b"x")
    with atomic_dir(tmp_path / "legacy", "download", ("*.parquet", "manifest.json")) as tmp:
        (tmp / "manifest.json").write_text("{}")
    assert not (tmp_path / "legacy" / "recordings-00000.parquet").exists()
    (tmp_path / "file").write_text("a user's file")
    with pytest.raises(NotOurFolder, match="not a folder"), atomic_dir(tmp_path / "file", "download"):
        pass
    assert (tmp_path / "file").read_text() == "a user's file"


# --- audio: bounded cost whatever the header says ------------------------------------------------------


PEAK_SCRIPT = """
import sys
def peak():  # this process's own high-water mark: ru_maxrss keeps the parent's across exec
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024
from pathlib import Path
from pipeline.features.transform import prepare_waveform
from pipeline.params import FeatureParams
data = Path(sys.argv[1]).read_bytes()
params = FeatureParams()
prepare_waveform(Path(sys.argv[2]).read_bytes(), params)  # warm-up: every library loaded and touched
before = peak()
wave = prepare_waveform(data, params)
after = peak()
print(len(wave), after - before)
"""


@pytest.mark.parametrize("rate", [16001, 48337, 44100])
def test_resampling_a_small_file_at_an_odd_rate_costs_a_small_multiple_of_the_clip(tmp_path, rate):
    """torchaudio's kernel for 16001 -> 16000 Hz was 16000 x 16001 taps: 4.9 GB for a 32 kB file."""
    sf.write(tmp_path / "odd.wav", tone(1.0, rate=rate), rate, subtype="PCM_16")
    sf.write(tmp_path / "warm.wav", tone(1.0, rate=22050), 22050, subtype="PCM_16")
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, tmp_path / "odd.wav", tmp_path / "warm.wav"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, check=True)  # fmt: skip
    samples, grown = map(int, out.stdout.split())
    assert abs(samples - 16000) <= 1
    assert grown < 50e6, f"peak memory grew by {grown / 1e6:.0f} MB for a {rate} Hz one-second clip"


@pytest.mark.parametrize(("rate", "reason"), [(4000, "unsupported_rate"), (384000, "unsupported_rate")])
def test_a_rate_outside_the_documented_range_is_a_skip(tmp_path, rate, reason):
    sf.write(tmp_path / "x.wav", tone(0.5, rate=rate), rate)
    with pytest.raises(AudioProblem) as problem:
        decode((tmp_path / "x.wav").read_bytes())
    assert problem.value.reason == reason and str(rate) in problem.value.detail


def test_a_small_file_that_decodes_to_hours_is_refused_before_decoding_it_all(tmp_path):
    sf.write(tmp_path / "long.flac", np.zeros(int((MAX_AUDIO_SECONDS + 5) * 8000), dtype="float32"), 8000)
    assert (tmp_path / "long.flac").stat().st_size < 2_000_000
    with pytest.raises(AudioProblem) as problem:
        decode((tmp_path / "long.flac").read_bytes())
    assert problem.value.reason == "too_long"


def test_a_wav_header_claiming_more_channels_than_any_recording_is_refused():
    header = b"RIFF" + struct.pack("<I", 36 + 64) + b"WAVE" + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 64, 16000,
                                                                                 16000 * 128, 128, 16)  # fmt: skip
    data = header + b"data" + struct.pack("<I", 64 * 2) + b"\x01\x00" * 64
    with pytest.raises(AudioProblem) as problem:
        decode(data)
    assert problem.value.reason == "too_many_channels"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_only_regular_files_are_read_and_never_past_the_cap(tmp_path):
    os.mkfifo(tmp_path / "fifo.wav")
    (tmp_path / "zero.wav").symlink_to("/dev/zero")
    (tmp_path / "big.wav").write_bytes(b"\0" * 1000)
    for name, reason in (("fifo.wav", "not_a_file"), ("zero.wav", "not_a_file")):
        with pytest.raises(AudioProblem) as problem:
            read_audio_file(tmp_path / name)  # returns at once: no blocking open, no endless read
        assert problem.value.reason == reason
    with pytest.raises(FileRefused) as refused:
        read_capped(tmp_path / "big.wav", 999)
    assert refused.value.reason == "too_large"
    assert read_capped(tmp_path / "big.wav", 1000) == b"\0" * 1000


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_download_counts_a_fifo_and_a_device_link_as_skipped_instead_of_hanging(tmp_path):
    make_zenodo(tmp_path / "corpus", n=12)
    (tmp_path / "corpus" / "recordings" / "3.wav").unlink()
    os.mkfifo(tmp_path / "corpus" / "recordings" / "3.wav")
    (tmp_path / "corpus" / "recordings" / "6.wav").unlink()
    (tmp_path / "corpus" / "recordings" / "6.wav").symlink_to("/dev/zero")
    params = dump_params(tmp_path / "params.yaml", {"data": {"source": "zenodo", "path": str(tmp_path / "corpus"),
                                                             "max_skipped_fraction": 0.5}})  # fmt: skip
    run = subprocess.run([*ITALIC_CNN, "download", "--params", params, "--out", tmp_path / "raw"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert run.returncode == 0, run.stderr
    manifest = json.loads((tmp_path / "raw" / "manifest.json").read_text())
    assert manifest["skipped_by_reason"] == {"not_a_file": 2}
    assert {s["id"] for s in manifest["skipped"]} == {3, 6}


def test_predict_reports_a_fifo_and_an_odd_rate_file_and_exits_1(tmp_path, cli, trained_model):
    os.mkfifo(tmp_path / "fifo.wav")
    sf.write(tmp_path / "odd.wav", tone(0.8, rate=4000), 4000)
    sf.write(tmp_path / "good.wav", tone(0.8, rate=48337), 48337)
    result = cli("predict", "--model", trained_model, tmp_path)
    assert result.exit_code == 1
    errors = sorted(result.stderr.strip().splitlines())
    assert errors == [f"error: {tmp_path / 'fifo.wav'}: not_a_file: a FIFO, not a regular file",
                      f"error: {tmp_path / 'odd.wav'}: unsupported_rate: 4000 Hz, outside 8000-192000 Hz"]  # fmt: skip
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [str(tmp_path / "good.wav")]


# --- runaway params -------------------------------------------------------------------------------------


def params_with(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("seed", 2**70), "seed must be <= 4294967295"),
        (("model.channels", [10**12]), "model.channels must list 1 to 32 widths, each 1 to 4096"),
        (("model.channels", [8] * 33), "model.channels must list 1 to 32 widths"),
        (("features.n_fft", 2**40), "features.n_fft must be <= 16384"),
        (("train.masks", 10**9), "train.masks must be <= 100"),
        (("train.max_seconds", 1e-300), "train.max_seconds must be >= 0.1"),
        (("data.workers", 10**6), "data.workers must be <= 256"),
        (("features.workers", 10**6), "features.workers must be <= 256"),
        (("train.threads", 10**9), "train.threads must be <= 1024"),
        (("data.synth_recordings", 10**14), "data.synth_recordings must be <= 200000"),
    ],
)
def test_runaway_values_are_refused_by_check_params(tmp_path, cli, edit, expected):
    key, value = edit
    section, _, name = key.rpartition(".")
    params = dump_params(tmp_path / "params.yaml", {section: {name: value}} if section else {name: value})
    line = one_line_error(cli("check-params", "--params", params))
    assert expected in line and len(line) < 300


def test_nested_aliases_are_refused_in_a_short_line_at_once(tmp_path, cli):
    levels = ['&a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"&{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    laughs = "seed: [" + ", ".join(levels) + "]\n"  # 0.4 kB; 9**9 strings once expanded
    started = time.perf_counter()
    line = one_line_error(cli("check-params", "--params", params_with(tmp_path, laughs)))
    assert "alias *'a' is not allowed" in line
    assert len(line) < 300 and time.perf_counter() - started < 5


def test_a_huge_value_makes_a_short_error(tmp_path, cli):
    line = one_line_error(cli("check-params", "--params", params_with(tmp_path, "seed: [" + "1, " * 200_000 + "1]\n")))
    assert line.startswith(f"{tmp_path / 'params.yaml'}: seed must be an integer, got [1, 1,")
    assert len(line) < 300


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"seed: 1\n\xff\xfe\n", "not UTF-8 text"),
        (b"[" * 100_000, "nested too deeply"),
        (b"? [a, b]\n: 1\n", "a key must be a plain word"),
        (b"seed: 1" + b"0" * 5000 + b"\n", "a number of over 4300 digits"),
    ],
)
def test_params_files_that_used_to_trace_back(tmp_path, cli, content, expected):
    path = tmp_path / "params.yaml"
    path.write_bytes(content)
    assert expected in one_line_error(cli("check-params", "--params", path))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_params_is_refused_instead_of_hanging(tmp_path):
    os.mkfifo(tmp_path / "params.yaml")
    with pytest.raises(ParamsError, match="not a regular file"):
        load_params(tmp_path / "params.yaml")


def test_synth_refuses_an_oversized_corpus_before_planning_it(tmp_path, cli):
    started = time.perf_counter()
    line = one_line_error(
        cli("synth", "--recordings", "2000000", "--out", tmp_path / "c", "--params", ROOT / "params.yaml")
    )
    assert "--recordings must be <= 200000" in line
    assert time.perf_counter() - started < 5 and not (tmp_path / "c").exists()


# --- split files ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("column", "value"), [("id", 2**64), ("age", 2**70), ("speaker_id", -(2**70))])
def test_an_integer_beyond_int64_in_a_split_file_is_one_line(tmp_path, cli, column, value):
    rows = make_zenodo(tmp_path / "corpus", n=12)
    bad = dict(rows[3]) | {column: value}
    write_split(tmp_path / "corpus", "massive", "train", [bad])
    params = dump_params(tmp_path / "params.yaml", {"data": {"source": "zenodo", "path": str(tmp_path / "corpus")}})
    line = one_line_error(cli("download", "--params", params, "--out", tmp_path / "raw"))
    assert f"column {column} must be an integer in" in line and "massive_train.json line 1" in line
    assert not (tmp_path / "raw").exists()


def test_json_lines_holding_unicode_line_separators_inside_strings_are_read(tmp_path, cli):
    rows = make_zenodo(tmp_path / "corpus", n=12)
    for config in ("massive", "hard_speaker", "hard_noisy"):
        chosen = [rows[rid] | {"utt": f"una\u2028frase\u2029con\u0085separatori {rid}"} for rid in rows if rid % 3 == 0]
        write_split(tmp_path / "corpus", config, "train", chosen)
    params = dump_params(tmp_path / "params.yaml", {"data": {"source": "zenodo", "path": str(tmp_path / "corpus")}})
    result = cli("download", "--params", params, "--out", tmp_path / "raw")
    assert result.exit_code == 0, result.stderr
    assert "12 in, 12 out, 0 skipped" in result.stderr


# --- checkpoints ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory) -> Path:
    from tests.corpus import trained_project

    root = trained_project(tmp_path_factory.mktemp("hostile"))
    return root / "models" / "massive" / "model.pt"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({"arch": "../x"}, "checkpoint: arch must be one of"),
        ({"features": "n_fft=1099511627776"}, "checkpoint: features.n_fft must be <= 16384"),
        ({"model": "channels=[1000000000000]"}, "checkpoint: model.channels must list"),
        ({"n_bins": 2**40}, "checkpoint: n_bins must be an integer in 1..16384"),
        ({"labels": [1, 2]}, "checkpoint: labels must be a non-empty list"),
    ],
)
def test_a_checkpoint_with_hostile_stored_params_is_one_line(tmp_path, cli, trained_model, edit, expected):
    checkpoint = torch.load(trained_model, weights_only=True)
    for key, value in edit.items():
        if isinstance(value, str) and "=" in value:  # a nested key: section "name=value"
            name, _, raw = value.partition("=")
            checkpoint[key] = dict(checkpoint[key]) | {name: yaml.safe_load(raw)}
        else:
            checkpoint[key] = value
    torch.save(checkpoint, tmp_path / "model.pt")
    sf.write(tmp_path / "a.wav", tone(0.8), 16000)
    line = one_line_error(cli("predict", "--model", tmp_path / "model.pt", tmp_path / "a.wav"))
    assert expected in line and str(tmp_path / "model.pt") in line


# --- evaluate: one unit, odd slice values, spreadsheet-safe errors.csv -------------------------------------


def test_csv_cells_a_spreadsheet_would_run_are_neutralised():
    for text in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert csv_cell(text) == "'" + text
    for text in ("accendi la luce", "", "1+1", "a=b"):
        assert csv_cell(text) == text
    assert csv_cell(None) == ""


def test_evaluate_is_one_atomic_unit_and_an_odd_age_is_an_unknown_slice(tmp_path, monkeypatch):
    from pipeline.evaluate import stage
    from tests.corpus import trained_project

    root = trained_project(tmp_path / "p", n=36)
    meta_rows = stage.recording_metadata

    def hostile_meta(columns, raw_dir):  # the test split as a careless annotator left it
        rows = meta_rows(columns, raw_dir)
        return {rid: row | {"age": 500 if rid % 2 else -1, "utt": "=cmd|' /C calc'!A0"} for rid, row in rows.items()}

    monkeypatch.setattr(stage, "recording_metadata", hostile_meta)
    out = root / "results" / "massive" / "evaluate"
    stage.run_evaluate("massive", root / "models" / "massive" / "model.pt", root / "features", root / "raw", out)
    page = (out / "index.html").read_text()
    assert '"unknown"' in page or "unknown" in page
    rows = (out / "errors.csv").read_text().splitlines()[1:]
    assert rows and all(",'=cmd" in row for row in rows)
    before = snapshot(out)

    def broken_page(*args, **kwargs):
        raise RuntimeError("the page failed")

    monkeypatch.setattr(stage, "write_page", broken_page)
    with pytest.raises(RuntimeError):
        stage.run_evaluate("massive", root / "models" / "massive" / "model.pt", root / "features", root / "raw", out)
    assert snapshot(out) == before  # metrics, errors.csv, predictions and page all from the same run
    assert not [p for p in out.parent.iterdir() if ".tmp-" in p.name]


# --- processes ----------------------------------------------------------------------------------------------


ORPHAN_SCRIPT = """
import os, sys, time
from pipeline.parallel import process_pool
from pipeline.features.stage import _init_forked_worker
from pipeline.params import FeatureParams
from concurrent.futures import ProcessPoolExecutor
import multiprocessing as mp
pools = [process_pool(2), ProcessPoolExecutor(2, mp_context=mp.get_context("fork"), initializer=_init_forked_worker,
                                               initargs=(os.getpid(), FeatureParams(), "cpu", 1))]
def slow_pid():  # long enough that every worker of a pool takes a task
    time.sleep(0.3)
    return os.getpid()
pids = set()
for pool in pools:
    pids |= {f.result() for f in [pool.submit(slow_pid) for _ in range(8)]}
print(" ".join(map(str, pids)), flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_worker_processes_die_with_their_parent():
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 4 and all(alive(pid) for pid in workers)
    finally:
        parent.send_signal(signal.SIGKILL)  # as the OOM killer does: no chance to stop the pools
        parent.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if alive(pid)]


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


# --- the pull-request workflow ---------------------------------------------------------------------------------


def test_the_workflow_never_pastes_expressions_into_scripts_and_reports_on_forks():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pr-report.yml").read_text())
    steps = workflow["jobs"]["report"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert scripts and not [s for s in scripts if "${{" in s]  # refs reach scripts only through env:
    run_step = next(step for step in steps if "pr-report.sh" in step.get("run", ""))
    assert '"origin/$BASE_REF"' in run_step["run"] and "github.base_ref" in run_step["env"]["BASE_REF"]
    upload = next(step for step in steps if "upload-artifact" in step.get("uses", ""))
    assert upload.get("if") == "always()"
    comment = next(step for step in steps if "cml comment" in step.get("run", ""))
    assert "FROM_FORK" in comment["env"] and 'if [ "$FROM_FORK" = "true" ]' in comment["run"]


def test_train_refuses_a_results_folder_dvclive_would_clear_and_file_writers_refuse_a_folder(tmp_path, cli):
    from pipeline.atomic import atomic_file
    from pipeline.params import parse_params
    from pipeline.train.stage import run_train

    before = a_users_project(tmp_path / "work")
    (tmp_path / "work" / "plots").mkdir()
    (tmp_path / "work" / "plots" / "figure.png").write_bytes(b"a user's figure")
    before = snapshot(tmp_path / "work")
    with pytest.raises(NotOurFolder, match="italic-cnn train"):
        run_train(parse_params({}), "massive", tmp_path / "f", tmp_path / "r", tmp_path / "m.pt", tmp_path / "work")
    assert snapshot(tmp_path / "work") == before
    with pytest.raises(NotOurFolder, match="is a folder"), atomic_file(tmp_path / "work") as handle:
        handle.write("x")
    assert snapshot(tmp_path / "work") == before
