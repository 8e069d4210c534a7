"""Hostile inputs against a checkout of this project, each through the real CLI in its own process:
what it prints, its exit code, its time and its peak memory, and whether data it was not asked to
write survived. Run it on two checkouts to see what a change fixed:

    python benchmarks/hostile_probes.py                       # this checkout
    python benchmarks/hostile_probes.py --project ../old      # another (its own pipeline/ is imported)

Probes that hang or eat memory are stopped at their timeout (the table says so). The tiny corpus and
model it needs are built with this checkout's code, once, in a temp folder. tests/faults/ holds the
fast assertions; this prints the before/after that a reader checks them against.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SETUP = """
import json, sys
from pathlib import Path
from tests.corpus import TINY_TRAINING, make_zenodo, write_split, read_split
from pipeline.download.stage import run_download
from pipeline.features.stage import run_featurize
from pipeline.params import parse_params
from pipeline.train.stage import run_train
root = Path(sys.argv[1])
make_zenodo(root / "corpus", n=36)
for config in ("massive", "hard_speaker", "hard_noisy"):   # the careless annotator: odd ages, formula-like text
    rows = read_split(root / "corpus", config, "test")
    write_split(root / "corpus", config, "test", [r | {"age": 500, "utt": "=cmd|' /C calc'!A0"} for r in rows])
params = parse_params(TINY_TRAINING | {"data": {"source": "zenodo", "path": str(root / "corpus")}})
run_download(params.data, root / "raw")
run_featurize(params.features, 0.0, root / "raw", root / "features")
run_train(params, "massive", root / "features", root / "raw", root / "models" / "massive" / "model.pt",
          root / "results" / "massive" / "train", root / "resume")
"""

ORPHANS = """
import os, time
from pipeline.parallel import process_pool
def slow_pid():
    time.sleep(0.3)
    return os.getpid()
pool = process_pool(2)
print(" ".join(str(p) for p in {f.result() for f in [pool.submit(slow_pid) for _ in range(8)]}), flush=True)
time.sleep(600)
"""


# nested aliases under a real key: 9 levels of 9 references, 0.4 kB that expand to 9**9 strings
LAUGHS = (
    "seed: ["
    + ", ".join(
        ['&a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        + [f"&{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    )
    + "]\n"
)


@dataclass
class Outcome:
    code: str
    lines: int
    first: str
    seconds: float
    peak_mb: float
    note: str = ""


def run(project: Path, argv: list[str], timeout: float, cwd: Path) -> Outcome:
    """One CLI run of `project`'s code; its own peak RSS from wait4, stopped at `timeout`."""
    env = os.environ | {"PYTHONPATH": str(project)}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", *argv], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)  # fmt: skip
        deadline = started + timeout
        status = None
        while status is None:
            pid, code, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = code
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                _, code, usage = os.wait4(proc.pid, 0)
                status = "killed"
                break
            time.sleep(0.05)
        proc.returncode = 0  # reaped here
        seconds = time.perf_counter() - started
        err.seek(0)
        text = err.read().strip()
    lines = text.splitlines()
    code_text = f"killed at {timeout:g} s" if status == "killed" else str(os.waitstatus_to_exitcode(status))
    first = lines[-1] if lines and "Traceback" in text else (lines[0] if lines else "")
    if "Traceback" in text:
        first = "traceback: " + first
    return Outcome(code_text, len(lines), first[:110], seconds, usage.ru_maxrss / 1024)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def params_file(work: Path, name: str, edit: Callable[[dict], None] | None = None, text: bytes | None = None) -> Path:
    import yaml

    path = work / f"{name}.yaml"
    if text is not None:
        path.write_bytes(text)
        return path
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    edit(params)
    path.write_text(yaml.safe_dump(params))
    return path


def probes(project: Path, shared: Path, work: Path) -> dict[str, Outcome]:
    import numpy as np
    import soundfile as sf

    sys.path.insert(0, str(ROOT))
    from tests.corpus import make_zenodo, meta_row, read_split, tone, write_split

    out: dict[str, Outcome] = {}
    model = shared / "models" / "massive" / "model.pt"

    # data loss
    user = work / "user-project"
    (user / ".git").mkdir(parents=True)
    (user / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (user / "params.yaml").write_text("seed: 1\n")
    before = snapshot(user)
    o = run(
        project, ["synth", "--recordings", "390", "--out", str(user), "--params", str(ROOT / "params.yaml")], 120, work
    )
    o.note = "user's files intact" if user.exists() and snapshot(user) == before else "USER'S FILES GONE"
    out["synth --out a folder holding .git/ and params.yaml"] = o

    # audio
    for rate in (16001, 48337):
        path = work / f"odd-{rate}.wav"
        sf.write(path, tone(1.0, rate=rate)[:16000], rate, subtype="PCM_16")
        out[f"predict a 32 kB WAV at {rate} Hz"] = run(project, ["predict", "--model", str(model), str(path)], 60, work)
    for name, make in (
        ("a FIFO", lambda p: os.mkfifo(p)),
        ("a link to /dev/zero", lambda p: p.symlink_to("/dev/zero")),
    ):
        corpus = work / f"corpus-{name.split()[-1].strip('/')}"
        make_zenodo(corpus, n=12)
        (corpus / "recordings" / "3.wav").unlink()
        make(corpus / "recordings" / "3.wav")
        p = params_file(work, f"p-{corpus.name}", lambda d, c=corpus: d["data"].update(source="zenodo", path=str(c),
                                                                                     max_skipped_fraction=0.5))  # fmt: skip
        out[f"download with {name} as recordings/3.wav"] = run(project, ["download", "--params", str(p),
                                                                         "--out", str(work / "raw-x")], 8, work)  # fmt: skip

    # runaway params
    runaway = {"seed: 2**70": ("seed", None, 2**70), "model.channels: [10**12]": ("model", "channels", [10**12]),
               "features.n_fft: 2**40": ("features", "n_fft", 2**40), "train.masks: 10**9": ("train", "masks", 10**9),
               "train.max_seconds: 1e-300": ("train", "max_seconds", 1e-300),
               "data.workers: 10**6": ("data", "workers", 10**6), "train.threads: 10**9": ("train", "threads", 10**9),
               "data.synth_recordings: 10**14": ("data", "synth_recordings", 10**14)}  # fmt: skip
    for label, (section, key, value) in runaway.items():
        p = params_file(work, "runaway", lambda d, s=section, k=key, v=value: d.update({s: v}) if k is None
                        else d[s].update({k: v}))  # fmt: skip
        out[f"check-params with {label}"] = run(project, ["check-params", "--params", str(p)], 30, work)
    p = params_file(work, "laughs", text=LAUGHS.encode())
    out["check-params with 0.4 kB of nested aliases"] = run(project, ["check-params", "--params", str(p)], 20, work)
    out["synth --recordings 2000000"] = run(project, ["synth", "--recordings", "2000000", "--out",
                                                      str(work / "big"), "--params", str(ROOT / "params.yaml")], 20, work)  # fmt: skip
    for label, text in (("not UTF-8", b"seed: 1\n\xff\xfe\n"), ("100k-deep nesting", b"[" * 100_000),
                        ("a list as a key", b"? [a, b]\n: 1\n")):  # fmt: skip
        p = params_file(work, "odd", text=text)
        out[f"check-params with a file {label}"] = run(project, ["check-params", "--params", str(p)], 30, work)

    # split files
    for label, column, value in (("id 2**64", "id", 2**64), ("age 2**70", "age", 2**70),
                                 ("U+2028 inside utt (valid JSON)", "utt", "una\u2028frase")):  # fmt: skip
        corpus = work / f"corpus-{column}"
        make_zenodo(corpus, n=12)
        for config in ("massive", "hard_speaker", "hard_noisy"):  # a recording's metadata agrees across configs
            rows = read_split(corpus, config, "train")
            write_split(corpus, config, "train", [rows[0] | {column: value}, *rows[1:]])
        p = params_file(work, f"p-{column}", lambda d, c=corpus: d["data"].update(source="zenodo", path=str(c)))
        out[f"download, a split row with {label}"] = run(project, ["download", "--params", str(p), "--out",
                                                                   str(work / f"raw-{column}")], 60, work)  # fmt: skip

    # checkpoints
    import torch

    checkpoint = torch.load(model, weights_only=True)
    wav = work / "clip.wav"
    sf.write(wav, tone(0.8), 16000)
    for label, edit in (('arch: "../x"', {"arch": "../x"}),
                        ("features.n_fft: 2**40", {"features": checkpoint["features"] | {"n_fft": 2**40}})):  # fmt: skip
        torch.save(checkpoint | edit, work / "edited.pt")
        out[f"predict with a checkpoint holding {label}"] = run(project, ["predict", "--model", str(work / "edited.pt"),
                                                                          str(wav)], 60, work)  # fmt: skip

    # evaluate on test rows with age 500 and formula-like transcripts, after a first good run
    results = work / "results"
    o = run(project, ["evaluate", "--config", "massive", "--model", str(model), "--features", str(shared / "features"),
                      "--raw", str(shared / "raw"), "--results", str(results), "--params", str(ROOT / "params.yaml")],
            120, work)  # fmt: skip
    folder = results / "massive" / "evaluate"
    errors = (folder / "errors.csv").read_text().splitlines()[1:] if (folder / "errors.csv").exists() else []
    live = sum(1 for row in errors if row.split(",")[1].startswith("="))
    o.note = (f"index.html {'written' if (folder / 'index.html').exists() else 'MISSING'}; errors.csv: "
              f"{len(errors)} rows, {live} a spreadsheet would run")  # fmt: skip
    out["evaluate, test rows with age 500 and utt '=cmd|...'"] = o

    # orphans
    env = os.environ | {"PYTHONPATH": str(project)}
    parent = subprocess.Popen([sys.executable, "-c", ORPHANS], stdout=subprocess.PIPE, text=True, env=env, cwd=work)
    workers = [int(p) for p in parent.stdout.readline().split()]
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    time.sleep(3)
    left = [p for p in workers if Path(f"/proc/{p}").exists()]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    out["kill -9 of a process holding a worker pool"] = Outcome("-", 0, "", 3.0, 0.0,
                                                                f"{len(left)} of {len(workers)} workers still alive after 3 s")  # fmt: skip
    _ = (np, meta_row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout whose pipeline/ is probed")
    parser.add_argument("--json", type=Path, help="also write the outcomes here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shared, work = Path(tmp) / "shared", Path(tmp) / "work"
        work.mkdir()
        subprocess.run([sys.executable, "-c", SETUP, str(shared)], cwd=ROOT, check=True, capture_output=True)
        outcomes = probes(args.project.resolve(), shared, work)
    print(f"project: {args.project.resolve()}")
    print("| probe | exit | stderr lines | last line (cut) | s | peak MB | note |")
    print("|---|---|---:|---|---:|---:|---|")
    for name, o in outcomes.items():
        first = o.first.replace("|", "\\|")
        print(f"| {name} | {o.code} | {o.lines} | {first} | {o.seconds:.1f} | {o.peak_mb:.0f} | {o.note} |")
    if args.json:
        args.json.write_text(json.dumps({k: vars(v) for k, v in outcomes.items()}, indent=2))


if __name__ == "__main__":
    main()
