"""Wall time, peak memory and sizes on disk per stage, at ITALIC's size, for every features.kind.

    python benchmarks/scale.py [--recordings 16521] [--kinds logmel stft mfcc waveform] [--work DIR]
                               [--config massive] [--big]

It synthesizes the ITALIC-sized corpus once (16,521 recordings; kept in --work and reused), then
for each kind runs the stages' own commands as a user would, each in its own process: `featurize`,
`train` for one epoch (tcnn; cnn1d for waveforms) and `evaluate` on the config's test split. Memory
is sampled every 250 ms (reading PSS costs the kernel a page-table walk) over the stage's whole process tree (PSS, so pages the forked workers share
are counted once) and also read back as the largest single process's peak RSS.

Budgets (on 2 cores / 24 GiB): logmel `train` at most 3 GiB; every stage of every kind completes;
featurize's peak at full size at most 1.25x its peak on a quarter of the corpus (memory independent
of corpus size). `--big` also writes and reads back a feature set of over 2 GiB (eight 2-hour stft
clips). The last line is `budgets: all met` or `budgets: N missed`; the exit code is 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GIB = 1024**3
ARCH_OF = {"logmel": "tcnn", "stft": "tcnn", "mfcc": "tcnn", "waveform": "cnn1d"}
LOGMEL_TRAIN_BUDGET_GIB = 3.0
FEATURIZE_GROWTH_BUDGET = 1.25


@dataclass
class Row:
    stage: str
    kind: str
    seconds: float
    tree_gib: float  # peak PSS summed over the process tree
    process_gib: float  # peak RSS of the largest single process
    disk_mib: float
    ok: bool
    note: str = ""


def memory_of_tree(root: int) -> int:
    """Bytes of PSS (RSS where PSS is not readable) of `root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        total += _pss(pid)
    return total


def _pss(pid: int) -> int:
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name) as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def run_stage(args: list[str], log: Path) -> tuple[float, int, int, int]:
    """(seconds, peak tree bytes, peak single-process bytes, exit status) of one command."""
    peak = [0]
    started = time.perf_counter()
    with open(log, "w") as handle:
        process = subprocess.Popen(args, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], memory_of_tree(process.pid))
                done.wait(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    return time.perf_counter() - started, peak[0], usage.ru_maxrss * 1024, process.returncode


def size_of(*paths: Path) -> int:
    return sum(p.stat().st_size for path in paths if path.exists() for p in path.rglob("*") if p.is_file())


def write_params(path: Path, recordings: int, kind: str | None = None) -> Path:
    """The project's params.yaml with this run's changes: complete, as every params file must be."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["data"]["synth_recordings"] = recordings
    if kind is not None:
        params["features"]["kind"] = kind
        params["model"]["arch"] = ARCH_OF[kind]
        params["train"].update(epochs=1, patience=0)
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    return path


def cli(*args: object) -> list[str]:
    return [sys.executable, "-m", "pipeline", *map(str, args)]


def measure(rows: list[Row], stage: str, kind: str, args: list[str], work: Path, outputs: list[Path]) -> bool:
    seconds, tree, process, status = run_stage(args, work / f"{kind}-{stage}.log")
    log = (work / f"{kind}-{stage}.log").read_text().strip().splitlines()
    note = log[-1][:160] if log else ""
    rows.append(Row(stage, kind, seconds, tree / GIB, process / GIB, size_of(*outputs) / 2**20, status == 0, note))
    print(f"{kind:9} {stage:10} {seconds:7.1f} s  peak {tree / GIB:5.2f} GiB (tree), {process / GIB:5.2f} GiB "
          f"(largest process)  {'ok' if status == 0 else f'FAILED ({status})'}  {note}", flush=True)  # fmt: skip
    return status == 0


def quarter_of(raw: Path, out: Path) -> Path:
    """A corpus of data/raw's first quarter of shards (links, not copies)."""
    shards = sorted(raw.glob("recordings-*.parquet"))
    out.mkdir(parents=True, exist_ok=True)
    for shard in shards[: max(1, len(shards) // 4)]:
        link = out / shard.name
        if not link.exists():
            link.symlink_to(shard.resolve())
    return out


def big_feature_set(work: Path) -> Row:
    """Eight 2-hour stft clips (2.25 GB of float16) through the shard writer and the reader."""
    code = """
import sys, numpy as np
from pathlib import Path
from pipeline.features.shards import FeatureShardWriter
from pipeline.features.reader import FeatureStore
folder = Path(sys.argv[1]); folder.mkdir(parents=True, exist_ok=True)
writer = FeatureShardWriter(folder, {"kind": "stft"}, shard_rows=100)
ramp = (np.arange(700_000) % 97).astype(np.float16)
for rid in range(8):
    clip = np.broadcast_to(ramp, (201, 700_000)).copy(); clip[:, 0] = rid
    writer.add_array(rid, clip, 7000.0)
writer.close()
store = FeatureStore(folder, expected={"kind": "stft"})
total = 0
for rid in range(8):
    clip = store.array(rid)
    assert clip.shape == (201, 700_000) and clip[0, 0] == rid and clip[7, 600] == 600 % 97
    total += clip.nbytes
print(f"{total / 2**30:.2f} GiB of features written and read back exactly")
"""
    folder = work / "big"
    seconds, tree, process, status = run_stage([sys.executable, "-c", code, str(folder)], work / "big.log")
    note = (work / "big.log").read_text().strip().splitlines()[-1][:160]
    return Row("big", "stft", seconds, tree / GIB, process / GIB, size_of(folder) / 2**20, status == 0, note)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recordings", type=int, default=16521)
    parser.add_argument("--kinds", nargs="+", default=list(ARCH_OF), choices=list(ARCH_OF))
    parser.add_argument("--work", type=Path, default=ROOT / ".scale")
    parser.add_argument("--config", default="massive")
    parser.add_argument("--big", action="store_true")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    raw = work / "raw"
    base = write_params(work / "params.yaml", args.recordings)
    if not (raw / "splits.parquet").exists():
        measure(rows, "download", "-", cli("download", "--params", base, "--out", raw), work, [raw])
    print(f"corpus: {args.recordings} recordings, {size_of(raw) / GIB:.2f} GiB in {raw}; {os.cpu_count()} cores",
          flush=True)  # fmt: skip

    for kind in args.kinds:
        params = write_params(work / f"{kind}.yaml", args.recordings, kind)
        features, out = work / kind / "features", work / kind
        ok = measure(rows, "featurize", kind, cli("featurize", "--params", params, "--raw", raw, "--out", features),
                     work, [features])  # fmt: skip
        if not ok:
            continue
        ok = measure(rows, "train", kind, cli("train", "--config", args.config, "--params", params, "--features",
                     features, "--raw", raw, "--models", out / "models", "--results", out / "results"),
                     work, [out / "models"])  # fmt: skip
        if ok:
            model = out / "models" / args.config / "model.pt"
            measure(rows, "evaluate", kind, cli("evaluate", "--config", args.config, "--params", params, "--model",
                    model, "--features", features, "--raw", raw, "--results", out / "results"),
                    work, [out / "results" / args.config / "evaluate"])  # fmt: skip

    growth = None
    if "logmel" in args.kinds:
        params = work / "logmel.yaml"
        quarter = quarter_of(raw, work / "quarter" / "raw")
        measure(rows, "featurize¼", "logmel", cli("featurize", "--params", params, "--raw", quarter, "--out",
                work / "quarter" / "features"), work, [work / "quarter" / "features"])  # fmt: skip
        full = next(r for r in rows if r.stage == "featurize" and r.kind == "logmel")
        growth = full.tree_gib / rows[-1].tree_gib
    if args.big:
        rows.append(big_feature_set(work))
        row = rows[-1]
        print(f"big: {row.seconds:.1f} s, peak {row.tree_gib:.2f} GiB, {row.disk_mib:.1f} MiB on disk; {row.note}")

    print("\n| kind | stage | wall s | peak GiB (process tree, PSS) | peak GiB (largest process) | on disk MiB |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        status = "" if r.ok else " FAILED"
        print(f"| {r.kind} | {r.stage}{status} | {r.seconds:.1f} | {r.tree_gib:.2f} | {r.process_gib:.2f} | "
              f"{r.disk_mib:.1f} |")  # fmt: skip
    missed = [f"{r.kind} {r.stage} failed" for r in rows if not r.ok]
    logmel_train = [r for r in rows if r.kind == "logmel" and r.stage == "train"]
    for r in logmel_train:
        print(f"logmel train peak {r.tree_gib:.2f} GiB (budget {LOGMEL_TRAIN_BUDGET_GIB:g})")
        if r.tree_gib > LOGMEL_TRAIN_BUDGET_GIB:
            missed.append(f"logmel train {r.tree_gib:.2f} GiB > {LOGMEL_TRAIN_BUDGET_GIB:g}")
    if growth is not None:
        print(f"featurize peak, full corpus / quarter: {growth:.2f}x (budget {FEATURIZE_GROWTH_BUDGET:g}x)")
        if growth > FEATURIZE_GROWTH_BUDGET:
            missed.append(f"featurize memory grows {growth:.2f}x with 4x the corpus")
    for line in missed:
        print(f"missed: {line}")
    print("budgets: all met" if not missed else f"budgets: {len(missed)} missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
