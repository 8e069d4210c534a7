"""The pipeline on the GPU against the CPU, in one run: featurize, train, evaluate, predict, export.

    python benchmarks/gpu.py [--recordings 16521] [--epochs 30] [--cpu-epochs 1] [--predict-files 1000]
        [--export-files 200] [--ddp-epochs 2] [--variants eager compile] [--raw DIR] [--work DIR] [--out-dir DIR]

Every step runs the stage's own code in this process (the GPU path needs only torch, torchaudio,
pyarrow, soundfile, typer and scikit-learn: no dvc, no dvclive), once on the GPU and, for the CPU
baseline, once with the same code on the CPU (every core):

1. corpus: the ITALIC-sized synthetic corpus (the download stage, `data.source: synth`) in WORK/raw,
   made once and reused (or `--raw`);
2. featurize with `features.device` cuda and cpu; the two feature sets are compared clip by clip;
3. train on massive with params.yaml's recipe for `--epochs` (bf16 autocast on CUDA), once per
   `--variants`: eager, and `train.compile`; the CPU baseline trains `--cpu-epochs` with the same
   code and its time is scaled to `--epochs`;
4. profile: torch.profiler over 30 training steps: where the GPU time goes, how busy it is, and how
   many times a step waits for the GPU (CUDA sync debug mode);
5. evaluate: the test split scored with the best checkpoint on the GPU and on the CPU;
6. predict: `--predict-files` test clips written out as audio files, through `italic-cnn predict`'s
   Predictor on the GPU and on the CPU; the TorchScript export on the first `--export-files`;
7. DDP: the train stage under `torchrun --nproc-per-node 1` (NCCL on a GPU, gloo on CPU) for
   `--ddp-epochs`, against two plain runs (their difference is the noise floor).

It prints one line per step as it finishes and then one table: wall time, samples/s, GPU busy
(nvidia-smi, sampled every 100 ms over the step's main loop), peak GPU memory allocated (torch), and the
speedup against the CPU baseline of the same run; then the correctness checks (predictions that agree
between validation, evaluate, predict and the export, GPU and CPU). `--out-dir` also gets every row as
JSON lines, the table, and the profiler's tables. On a machine without a GPU every "GPU" row runs on
the CPU: a small run (`--recordings 600 --epochs 2`) checks the script itself.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.download.stage import run_download  # noqa: E402
from pipeline.evaluate.stage import score_test  # noqa: E402
from pipeline.export.products import open_product  # noqa: E402
from pipeline.export.torchscript import export_torchscript  # noqa: E402
from pipeline.features.reader import FeatureStore  # noqa: E402
from pipeline.features.stage import iter_raw, run_featurize  # noqa: E402
from pipeline.inference import load_model, open_features_for  # noqa: E402
from pipeline.inference.clips import load_split  # noqa: E402
from pipeline.inference.scoring import evaluate_split  # noqa: E402
from pipeline.params import Params, load_params  # noqa: E402
from pipeline.predict import (  # noqa: E402
    ExportPredictor,
    Prediction,
    Predictor,
)
from pipeline.splits import split_ids  # noqa: E402
from pipeline.train.data import choose_ids, length_batches  # noqa: E402
from pipeline.train.run import RunSettings, prepare_run  # noqa: E402
from pipeline.train.seeding import epoch_seed  # noqa: E402
from pipeline.train.stage import run_train  # noqa: E402
from pipeline.train.trainer import Trainer  # noqa: E402

CONFIG = "massive"
# training variants: the train params each changes (all of them only change how the run computes)
VARIANTS = {
    "eager": {},
    "compile": {"compile": True},
}


class GpuSampler:
    """nvidia-smi's utilisation (percent of time a kernel ran) every 100 ms, in a background thread."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self.process = None
        if shutil.which("nvidia-smi") and torch.cuda.is_available():
            self.process = subprocess.Popen(
                ["nvidia-smi", "--query-gpu=utilization.gpu", "--format=csv,noheader,nounits", "-lms", "100",
                 "-i", str(torch.cuda.current_device())],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )  # fmt: skip
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with contextlib.suppress(ValueError):
                self.samples.append((time.perf_counter(), float(line.strip())))

    def busy(self, start: float, end: float) -> float | None:
        inside = [u for t, u in self.samples if start <= t <= end]
        return sum(inside) / len(inside) if inside else None

    def close(self) -> None:
        if self.process is not None:
            self.process.terminate()


class Marks:
    """Stderr passed through, with the time of the first line containing each marker: the stages print
    a line when their main loop starts, and GPU busy is measured from there."""

    def __init__(self, markers: list[str]):
        self.markers, self.seen, self.inner = markers, {}, sys.stderr

    def write(self, text: str) -> int:
        for marker in self.markers:
            if marker in text and marker not in self.seen:
                self.seen[marker] = time.perf_counter()
        return self.inner.write(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return False  # no progress bars in the benchmark's output


@dataclasses.dataclass
class Row:
    step: str
    device: str
    seconds: float
    samples: int  # clips (or files) processed, epochs included
    unit: str = "clips"
    busy: float | None = None  # GPU utilisation, percent
    peak_mib: float | None = None  # torch.cuda.max_memory_allocated
    baseline: str | None = None  # the step whose seconds per sample this is compared with
    note: str = ""

    @property
    def per_s(self) -> float:
        return self.samples / self.seconds if self.seconds else float("nan")


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.gpu = GpuSampler()
        self.rows: list[Row] = []
        self.checks: list[str] = []
        self.failures: list[str] = []
        self.work: Path = args.work
        self.out: Path | None = args.out_dir
        if self.out:
            self.out.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def measure(self, step: str, device: torch.device, samples: int, marker: str | None = None, **row: Any):
        """Times the block; GPU busy from the marker's first stderr line (else the block's start)."""
        marks = Marks([marker] if marker else [])
        if device.type == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        record = Row(step, str(device), 0.0, samples, **row)
        started = time.perf_counter()
        with contextlib.redirect_stderr(marks):
            yield record
        if device.type == "cuda":
            torch.cuda.synchronize()
            record.peak_mib = torch.cuda.max_memory_allocated() / 2**20
            record.busy = self.gpu.busy(marks.seen.get(marker, started) if marker else started, time.perf_counter())
        record.seconds = record.seconds or time.perf_counter() - started
        self.add(record)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        line = {**dataclasses.asdict(row), "per_s": row.per_s}
        print(json.dumps(line), flush=True)
        self.save("rows.jsonl", "".join(json.dumps({**dataclasses.asdict(r), "per_s": r.per_s}) + "\n"
                                        for r in self.rows))  # fmt: skip

    def check(self, text: str) -> None:
        self.checks.append(text)
        print(f"check: {text}", flush=True)
        self.save("checks.txt", "\n".join(self.checks) + "\n")

    def save(self, name: str, text: str) -> None:
        if self.out:
            (self.out / name).write_text(text)

    def attempt(self, name: str, action, *args, **kwargs) -> Any:
        """One step; a failure is recorded and the run goes on to the next step."""
        try:
            return action(*args, **kwargs)
        except Exception as exc:  # a benchmark reports every step it can
            import traceback

            message = f"{name} failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            self.failures.append(message)
            print(message, file=sys.stderr, flush=True)
            self.save(f"failure-{name}.txt", traceback.format_exc())
            return None


def with_train(params: Params, **changes: Any) -> Params:
    return dataclasses.replace(params, train=dataclasses.replace(params.train, **changes))


def make_corpus(bench: Bench, params: Params) -> Path:
    if bench.args.raw:
        return bench.args.raw
    raw = bench.work / "raw"
    marker = raw / f".recordings-{bench.args.recordings}"
    if not marker.exists():
        data = dataclasses.replace(params.data, source="synth", synth_recordings=bench.args.recordings)
        with bench.measure("synthesize corpus (download stage)", torch.device("cpu"), bench.args.recordings):
            run_download(data, raw)
        marker.touch()
    return raw


def featurize(bench: Bench, params: Params, raw: Path) -> Path:
    folders = {}
    clips = sum(1 for _ in iter_raw(raw))
    for device in dict.fromkeys([bench.device, torch.device("cpu")]):
        folder = bench.work / f"features-{device.type}"
        features = dataclasses.replace(params.features, device=device.type)
        baseline = "featurize cpu" if device.type == "cuda" else None
        with bench.measure(f"featurize {device.type}", device, clips, baseline=baseline) as row:
            result = run_featurize(features, params.data.max_skipped_fraction, raw, folder)
            row.note = f"{result.manifest['clips']['out']} clips, {result.manifest['audio_seconds'] / 3600:.1f} h audio"
        folders[device.type] = folder
    if len(folders) == 2:
        compare_features(bench, folders["cuda"], folders["cpu"])
    return folders[bench.device.type]


def compare_features(bench: Bench, gpu: Path, cpu: Path) -> None:
    a, b = FeatureStore(gpu), FeatureStore(cpu)
    ids = [int(i) for i in a.ids[:: max(1, len(a.ids) // 2000)]]
    worst, unequal = 0.0, 0
    for rid in ids:
        xa, xb = a.array(rid), b.array(rid)
        assert xa.shape == xb.shape
        difference = np.abs(xa.astype(np.float32) - xb.astype(np.float32))
        worst = max(worst, float(difference.max()))
        unequal += int(difference.max() > 0)
    bench.check(f"featurize GPU vs CPU on {len(ids)} clips: same frame counts; largest difference {worst:.4f} "
                f"(log units; float16 step at 10 is 0.0078); {unequal} clips not bit-identical")  # fmt: skip


def train(bench: Bench, params: Params, raw: Path, features: Path, name: str, device: torch.device, **changes):
    """The train stage, bare (no dvclive); returns (TrainResult, checkpoint path)."""
    run = with_train(params, device=device.type, **changes)
    folder = bench.work / "runs" / name
    shutil.rmtree(folder, ignore_errors=True)
    model_path = folder / "model.pt"
    train_clips = len(split_ids(CONFIG, "train", raw))
    epochs = run.train.epochs
    with bench.measure(f"train {name}", device, train_clips * epochs, marker=f"train {CONFIG}: ") as row:
        result = run_train(run, CONFIG, features, raw, model_path, None, folder / "resume")
        loop = sum(train_clips / h["samples_per_s"] for h in result.history)
        row.note = (f"{epochs} epochs (best {result.best_epoch}, val acc {result.best['accuracy']:.3f}); "
                    f"{train_clips} clips/epoch; epoch loop alone {loop:.1f} s "
                    f"({train_clips * epochs / loop:.0f} clips/s without validation)")  # fmt: skip
    return result, model_path


def profile_steps(bench: Bench, params: Params, raw: Path, features: Path, steps: int = 30) -> None:
    """torch.profiler over `steps` optimizer steps after 10 warm-up steps, on the eager model."""
    from torch.profiler import ProfilerActivity, profile

    device = bench.device
    run = prepare_run(RunSettings(with_train(params, device=device.type, epochs=1), CONFIG, device), features, raw)
    trainer = Trainer(run.model, run.data, run.settings)  # the train stage's setup, without its hooks
    data, mean, std = run.data.train, run.data.mean, run.data.std
    generator = torch.Generator().manual_seed(epoch_seed(params.seed, 0))

    def forever() -> Iterator[torch.Tensor]:
        while True:
            yield from length_batches(data.host_lengths, run.settings.train.batch_size, generator)

    batches = forever()
    trainer.trained.train()

    def one_step() -> None:
        batch = trainer.augmenter.batch(data, next(batches), mean, std, generator)
        trainer.step(batch)

    for _ in range(10):
        one_step()
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == "cuda" else [])
    if device.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    with profile(activities=activities) as prof:
        for _ in range(steps):
            one_step()
        if device.type == "cuda":
            torch.cuda.synchronize()
    wall = time.perf_counter() - started
    sort = "self_device_time_total" if device.type == "cuda" else "self_cpu_time_total"
    table = prof.key_averages().table(sort_by=sort, row_limit=25, max_name_column_width=60)
    bench.save("profile.txt", table)
    events = prof.key_averages()
    kernel_us = sum(e.self_device_time_total for e in events if e.device_type.name == "CUDA")
    syncs = sum(e.count for e in events if e.key in ("cudaStreamSynchronize", "cudaDeviceSynchronize"))
    launches = sum(e.count for e in events if e.key in ("cudaLaunchKernel", "cuLaunchKernel", "cudaLaunchKernelExC"))
    if device.type == "cuda":
        with warnings_counted() as counted:
            torch.cuda.set_sync_debug_mode("warn")
            try:
                for _ in range(5):
                    one_step()
                torch.cuda.synchronize()
            finally:
                torch.cuda.set_sync_debug_mode("default")
        bench.check(f"profile, {steps} eager training steps: {wall / steps * 1000:.1f} ms per step of "
                    f"{run.train.batch_size} clips; kernels busy {kernel_us / 1e6 / wall:.0%} of the wall time; "
                    f"{launches / steps:.0f} kernel launches and {syncs / steps:.1f} stream syncs per step; "
                    f"sync debug mode: {len(counted)} host waits in 5 steps ({summarize_syncs(counted)})")  # fmt: skip
    else:
        bench.check(f"profile, {steps} eager training steps on CPU: {wall / steps * 1000:.1f} ms per step")
    print(table, flush=True)


@contextlib.contextmanager
def warnings_counted() -> Iterator[list[str]]:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found: list[str] = []
        yield found
        found += [str(w.message).splitlines()[0] for w in caught if "synchroniz" in str(w.message)]


def summarize_syncs(messages: list[str]) -> str:
    counts: dict[str, int] = {}
    for message in messages:
        counts[message[:60]] = counts.get(message[:60], 0) + 1
    return "; ".join(f"{n}x {m}" for m, n in sorted(counts.items(), key=lambda kv: -kv[1])[:4]) or "none"


def evaluate(
    bench: Bench, params: Params, raw: Path, features_by_device: dict[str, Path], model_path: Path
) -> dict[str, Any]:
    scores = {}
    clips = len(split_ids(CONFIG, "test", raw))
    for device in dict.fromkeys([bench.device, torch.device("cpu")]):
        baseline = "evaluate cpu" if device.type == "cuda" else None
        with bench.measure(f"evaluate {device.type}", device, clips, baseline=baseline) as row:
            scores[device.type] = score_test(CONFIG, model_path, features_by_device[device.type], raw, device)
            labels = scores[device.type].data.labels.cpu()
            row.note = f"test accuracy {float((scores[device.type].logits.argmax(1) == labels).float().mean()):.3f}"
    if "cuda" in scores:
        gpu, cpu = scores["cuda"], scores["cpu"]
        same = int((gpu.logits.argmax(1) == cpu.logits.argmax(1)).sum())
        gap = float((gpu.logits.softmax(1) - cpu.logits.softmax(1)).abs().max())
        bench.check(f"evaluate GPU vs CPU (each on its own features): {same}/{clips} test predictions equal; "
                    f"largest probability difference {gap:.2e}")  # fmt: skip
    # validation as the train stage scored it, recomputed through evaluate's path on the GPU
    loaded = load_model(model_path, bench.device)
    store = open_features_for(loaded, features_by_device[bench.device.type], model_path)
    _, val_ids = choose_ids(CONFIG, params.train, loaded.checkpoint["seed"], raw)
    val = load_split(store, val_ids, raw, bench.device)
    again = evaluate_split(loaded.model, val, loaded.mean, loaded.std, 128, bench.device)
    recorded = loaded.checkpoint["best"]["val_accuracy"]
    bench.check(f"validation accuracy recorded by train {recorded:.4f}, recomputed from the checkpoint through "
                f"evaluate's scoring on {bench.device.type} {again['accuracy']:.4f} ({len(val)} clips)")  # fmt: skip
    return scores


def write_files(raw: Path, ids: list[int], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    wanted, files = set(ids), {}
    for rid, data in iter_raw(raw):
        if rid in wanted:
            path = folder / f"{rid}{'.flac' if data[:4] == b'fLaC' else '.wav'}"
            path.write_bytes(data)
            files[rid] = path
    return [files[i] for i in ids if i in files]


def predict(bench: Bench, raw: Path, model_path: Path, scores: dict[str, Any]) -> None:
    test_ids = split_ids(CONFIG, "test", raw)[: bench.args.predict_files]
    files = write_files(raw, test_ids, bench.work / "predict-files")
    predicted: dict[str, list[Prediction]] = {}
    for device in dict.fromkeys([bench.device, torch.device("cpu")]):
        baseline = "predict cpu" if device.type == "cuda" else None
        loaded = load_model(model_path, device)
        with bench.measure(f"predict {device.type}", device, len(files), unit="files", baseline=baseline):
            predictor = Predictor(loaded, device)
            results = list(predictor.run(files, batch_size=32, top_k=5))
        predicted[device.type] = [r for r in results if isinstance(r, Prediction)]
    evaluated = scores[bench.device.type]
    position = {rid: i for i, rid in enumerate(evaluated.data.ids)}
    labels = evaluated.loaded.labels
    for device, results in predicted.items():
        same = sum(r.top[0][0] == labels[int(evaluated.logits[position[int(Path(r.path).stem)]].argmax())]
                   for r in results)  # fmt: skip
        bench.check(f"predict on {device} vs evaluate on {bench.device.type}: {same}/{len(results)} files get "
                    "the same intent")  # fmt: skip
    export_check(bench, model_path, files[: bench.args.export_files], predicted[bench.device.type])


def export_check(bench: Bench, model_path: Path, files: list[Path], predicted: list[Prediction]) -> None:
    """The TorchScript export is the product: predict through it must pick the intents predict picks
    from the checkpoint."""
    path = bench.work / "model.torchscript.pt"
    export_torchscript(load_model(model_path, "cpu"), path)
    exported = ExportPredictor(open_product(path))
    with bench.measure("TorchScript export (CPU)", torch.device("cpu"), len(files), unit="files"):
        results = list(exported.run(files, batch_size=32, top_k=1))
    by_path = {p.path: p for p in predicted}
    same = sum(r.top[0][0] == by_path[r.path].top[0][0] for r in results)
    heard = sum(r.heard == by_path[r.path].heard for r in results)
    gap = max(abs(r.top[0][1] - by_path[r.path].top[0][1]) for r in results)
    bench.check(f"TorchScript export (CPU) vs predict on {bench.device.type}: {same}/{len(files)} files get the same "
                f"intent, {heard}/{len(files)} the same transcript, largest confidence difference {gap:.2e}")  # fmt: skip


def ddp(bench: Bench, params: Params, raw: Path, features: Path) -> None:
    """torchrun --nproc-per-node 1 (a real process group) against two plain runs of the same epochs."""
    epochs = bench.args.ddp_epochs
    curves = []
    for name in ("plain-a", "plain-b"):
        result, _ = train(bench, params, raw, features, f"{name}-{epochs}-epochs", bench.device, epochs=epochs,
                          compile=False)  # fmt: skip
        curves.append(result.history)
    folder = bench.work / "runs" / "torchrun"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "1",
               str(Path(__file__).resolve()), "--ddp-worker", str(folder), "--params", str(bench.args.params),
               "--raw", str(raw), "--features", str(features), "--epochs", str(epochs)]  # fmt: skip
    with bench.measure(f"train torchrun --nproc-per-node 1 ({epochs} epochs)", bench.device,
                       len(split_ids(CONFIG, "train", raw)) * epochs) as row:  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        row.note = f"exit {done.returncode}"
    if done.returncode != 0:
        raise RuntimeError(f"torchrun worker failed: {done.stderr.strip().splitlines()[-1:]}")
    launched = json.loads((folder / "history.json").read_text())
    curves.append(launched["history"])

    def gap(a: list[dict], b: list[dict]) -> float:
        keys = ("train_loss", "train_ctc_loss", "val_loss")
        return max(abs(x[k] - y[k]) / max(abs(y[k]), 1e-12) for x, y in zip(a, b, strict=True) for k in keys)

    bench.check(f"torchrun --nproc-per-node 1 ({launched['backend']}, DDP) vs plain run, {epochs} epochs: "
                f"largest relative loss difference {gap(curves[2], curves[0]):.2e}; two plain runs differ by "
                f"{gap(curves[1], curves[0]):.2e}")  # fmt: skip


def ddp_worker(args: argparse.Namespace) -> int:
    """Runs under torchrun: the train stage as one rank, its curves to FOLDER/history.json."""
    import torch.distributed as dist

    folder = Path(args.ddp_worker)
    params = with_train(load_params(args.params), epochs=args.epochs, compile=False, patience=0)
    backend: list[str] = []

    class Spy(Marks):  # the stage joins and leaves the group inside run_train; note which backend it used
        def write(self, text: str) -> int:
            if dist.is_initialized() and not backend:
                backend.append(str(dist.get_backend()))
            return super().write(text)

    with contextlib.redirect_stderr(Spy([])):
        result = run_train(params, CONFIG, args.features, args.raw, folder / "model.pt", None, folder / "resume")
    (folder / "history.json").write_text(json.dumps({"history": result.history, "backend": (backend or ["?"])[0]}))
    return 0


def table(bench: Bench) -> str:
    seconds_per = {r.step: r.seconds / r.samples for r in bench.rows if r.samples}
    lines = ["| step | device | wall s | samples/s | GPU busy | peak GPU memory | vs CPU | notes |",
             "|---|---|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for r in bench.rows:
        speedup = ""
        if r.baseline and r.baseline in seconds_per:
            speedup = f"{seconds_per[r.baseline] / (r.seconds / r.samples):.1f}x"
        busy = f"{r.busy:.0f}%" if r.busy is not None else "–"
        peak = f"{r.peak_mib / 1024:.2f} GiB" if r.peak_mib is not None else "–"
        lines.append(f"| {r.step} | {r.device} | {r.seconds:.1f} | {r.per_s:,.0f} {r.unit}/s | {busy} | {peak} | "
                     f"{speedup} | {r.note} |")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", type=Path, default=ROOT / "params.yaml")
    parser.add_argument("--recordings", type=int, default=16521)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--cpu-epochs", type=int, default=1)
    parser.add_argument("--predict-files", type=int, default=1000)
    parser.add_argument("--export-files", type=int, default=200)
    parser.add_argument("--ddp-epochs", type=int, default=2)
    parser.add_argument("--variants", nargs="*", choices=tuple(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--skip", nargs="*", default=[], choices=("cpu-train", "profile", "ddp", "predict"))
    parser.add_argument("--raw", type=Path, default=None, help="an existing data/raw (else synthesized in --work)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/italic-cnn-gpu-bench"))
    parser.add_argument("--out-dir", type=Path, default=None)
    parser.add_argument("--ddp-worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--features", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ddp_worker:
        return ddp_worker(args)
    params = with_train(load_params(args.params), epochs=args.epochs, patience=0)
    if params.train.deterministic and torch.cuda.is_available():
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # before featurize first touches cuBLAS
    bench = Bench(args)
    args.work.mkdir(parents=True, exist_ok=True)
    name = torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU"
    header = (f"{time.strftime('%Y-%m-%d')}, {name}, {os.cpu_count()} CPU cores, torch {torch.__version__}; "
              f"{params.model.arch} {list(params.model.channels)}, batch {params.train.batch_size}, "
              f"CTC weight {params.train.ctc_weight}, deterministic {params.train.deterministic}")  # fmt: skip
    print(header, flush=True)
    started = time.perf_counter()
    raw = make_corpus(bench, params)
    features = bench.attempt("featurize", featurize, bench, params, raw)
    if features is None:
        return 1
    folders = {bench.device.type: features, "cpu": bench.work / "features-cpu"}
    # the order puts what matters most first: a run cut short still reports it
    model_path = None
    if "eager" in args.variants:
        trained = bench.attempt("train-eager", train, bench, params, raw, features, f"eager {bench.device.type}",
                                bench.device, compile=False)  # fmt: skip
        model_path = trained[1] if trained else None
    if "profile" not in args.skip:
        bench.attempt("profile", profile_steps, bench, params, raw, features)
    if "cpu-train" not in args.skip and bench.device.type == "cuda":
        bench.attempt("train-cpu", train, bench, with_train(params, epochs=args.cpu_epochs), raw, folders["cpu"],
                      "eager cpu", torch.device("cpu"), compile=False)  # fmt: skip
    if model_path is not None:
        scores = bench.attempt("evaluate", evaluate, bench, params, raw, folders, model_path)
        if scores is not None and "predict" not in args.skip:
            bench.attempt("predict", predict, bench, raw, model_path, scores)
    for variant in [v for v in args.variants if v != "eager"]:
        bench.attempt(f"train-{variant}", train, bench, params, raw, features, f"{variant} {bench.device.type}",
                      bench.device, **VARIANTS[variant])  # fmt: skip
    if "ddp" not in args.skip:
        bench.attempt("ddp", ddp, bench, params, raw, features)
    for row in bench.rows:  # the CPU run's seconds per clip-epoch are the baseline of every GPU training run
        if (
            row.step.startswith("train ")
            and row.device.startswith("cuda")
            and "train eager cpu" in {r.step for r in bench.rows}
        ):
            row.baseline = "train eager cpu"
    bench.gpu.close()
    text = f"{header}\n\n{table(bench)}\n\n" + "\n".join(f"- {c}" for c in bench.checks)
    if bench.failures:
        text += "\n\nfailed:\n" + "\n".join(f"- {f}" for f in bench.failures)
    text += f"\n\ntotal {time.perf_counter() - started:.0f} s"
    print("\n" + text, flush=True)
    bench.save("table.md", text + "\n")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
