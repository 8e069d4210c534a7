"""Architectures and the CTC head compared on one corpus, in one run, at the same training budget.

    python benchmarks/models.py --raw DIR --logmel DIR --waveform DIR [--configs massive ...]
        [--archs tcnn_pooled tcnn cnn2d cnn2d_pooled cnn1d cnn1d_pooled] [--ctc 1 0] [--epochs 20] [--seeds 1] [--device auto] [--out FILE]
        [--jobs 1] [--first-seed N] [--time-limit SECONDS] [--widen FACTOR] [--frontends log pcen]
    python benchmarks/models.py --synthesize 16521 --work DIR ...   # make the corpus and features first

Each run trains with the pipeline's own Trainer and params.yaml's recipe (only the arch, its channels,
`train.ctc_weight`, `train.epochs` and the seed change, and the residual networks
train as they do best: whole clips with dropout 0.1, where the pooled ones, `tcnn_pooled`,
`cnn2d_pooled` and `cnn1d_pooled`, take params' 2 s crops, and dropout 0.3 except `cnn2d_pooled`'s 0.1,
which peaks at `train.lr` 6e-3),
keeps the epoch with the best validation macro-F1, and scores that epoch on validation and test. No
test figure picks anything here.

It prints one row per run as it finishes, then one table: arch, parameters, MFLOPs per second of audio,
train clips/s, and validation and test accuracy per config, with and without CTC, each accuracy with
its Wilson 95% interval and the clip count it rests on; test CER where the CTC head was trained. A
first row scores the true transcripts with a text classifier: the ceiling that new wording sets. With
several seeds a cell is the mean and the seeds' spread. `--out` also writes every run as JSON lines.
The run is bare (no dvclive, no checkpoint files), so it runs where only torch, torchaudio, pyarrow and
scikit-learn are installed (`--synthesize` also needs soundfile and espeakng-loader).

`--jobs N` trains N runs at once, each in its own process with its share of the CPU threads. On a GPU
this is what fills it: one run of these small networks keeps it busy about a quarter of the time,
waiting on the host to launch kernels. The accuracies do not depend on it; the clips/s column then
measures a run sharing the device with N - 1 others, and the table says so.

`--time-limit` bounds a run for a machine lent for minutes: a run whose next epoch would end past it
(keeping one more epoch's time for the transcript reader and scoring, where there is a reader) stops
after the epoch it is in, keeps its best epoch so far, and its row and the table say how many epochs it
trained. Without it every run trains `--epochs`. Each run prints a line per epoch to stderr, and its
row says how long loading, the epochs and what follows them took.

`--widen 1.5` trains every arch at 1.5 times its channels here, to ask whether the ranking holds
when the networks are less narrow; the table's last line lists the widths trained.

`--frontends log pcen` trains each spectrogram network with each front end (`model.frontend`; the
waveform networks keep their filterbank and train once), so PCEN is judged on the same seeds.

The rest of the recipe is params' as the train stage applies it: with `train.val_noise_snr_db` the
validation clips carry noise (so the noisy config's epoch is chosen on noise, as the stage chooses it),
and with `train.reader` and a CTC head the transcript reader is fitted after the epochs and weighted on
validation, and the table adds the fused test accuracy, the product's figure. `--out` rows also carry
every test clip's predicted intent, head and fused, so two runs can be paired on the same clips.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import dataclasses
import json
import math
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.text_reader import fit_text_reader  # noqa: E402
from pipeline.alphabet import character_error_rate  # noqa: E402
from pipeline.device import pick_device  # noqa: E402
from pipeline.download.stage import run_download  # noqa: E402
from pipeline.errors import UserError  # noqa: E402
from pipeline.features.reader import FeatureStore  # noqa: E402
from pipeline.features.stage import run_featurize  # noqa: E402
from pipeline.inference.clips import load_split  # noqa: E402
from pipeline.inference.scoring import score_split  # noqa: E402
from pipeline.metrics import classification_metrics  # noqa: E402
from pipeline.models.cost import model_cost  # noqa: E402
from pipeline.params import STAGED_ARCHS, WAVEFORM_ARCHS, FeatureParams, load_params  # noqa: E402
from pipeline.splits import recording_metadata, split_ids  # noqa: E402
from pipeline.train.data import choose_ids  # noqa: E402
from pipeline.train.reading import fit_reader  # noqa: E402
from pipeline.train.run import RunSettings, prepare_run  # noqa: E402
from pipeline.train.trainer import Hooks, Trainer  # noqa: E402

# the widths the README's tables were first measured at; params.yaml's default tcnn_pooled is 1.5 times
# these (`--widen 1.5`), which is where the ranking was checked again
CHANNELS = {
    "tcnn": (64, 96, 128, 160),
    "tcnn_pooled": (64, 96, 128, 160),
    "cnn2d": (32, 48, 64, 80),
    "cnn2d_pooled": STAGED_ARCHS["cnn2d_pooled"],  # the widths the params error suggests
    "cnn1d": (64, 96, 128, 160),
    "cnn1d_pooled": (64, 96, 128, 160),
}

# with 2 s crops most clips lose their CTC term, and these need it
WHOLE_CLIPS = {"tcnn", "cnn2d", "cnn1d"}
# these underfit at params' dropout (0.3); the others keep it
LIGHT_DROPOUT = WHOLE_CLIPS | {"cnn2d_pooled"}
# the 2-D network's deep blocks learn from the intent head alone and lag at the one-cycle's low early
# rates; validation chose a 6e-3 peak over params' 3e-3 in both seeds tried (30 epochs, massive)
PEAK_LR = {"cnn2d_pooled": 6e-3}


def positive(text: str) -> float:
    """argparse type for --widen and --time-limit: zero or less is a usage line, not a failure later."""
    value = float(text)  # a non-number: argparse's own "invalid positive value"
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def device_or_usage_error(parser: argparse.ArgumentParser, choice: str) -> torch.device:
    """`--device` resolved here, so `cuda` without a GPU is argparse's one-line usage error rather than a
    traceback from inside a run."""
    try:
        return pick_device(choice, "--device")
    except UserError as error:
        parser.error(str(error))


def widths(arch: str, widen: float = 1.0) -> tuple[int, ...]:
    """The arch's channels, each times `widen` (rounded): 1.5 takes `tcnn_pooled` from 64-160 to 96-240."""
    return tuple(max(1, round(c * widen)) for c in CHANNELS[arch])


def recipe(params, arch: str, ctc: float, epochs: int, widen: float = 1.0, frontend: str = "log"):
    """(train params, model params as a dict) of one run."""
    train = dataclasses.replace(params.train, ctc_weight=ctc, epochs=epochs, patience=0, deterministic=False)
    model = dataclasses.asdict(params.model) | {"channels": widths(arch, widen), "frontend": frontend}
    if arch in WHOLE_CLIPS:
        train = dataclasses.replace(train, max_seconds=10.0)
    if arch in LIGHT_DROPOUT:
        model = model | {"dropout": 0.1}
    if arch in PEAK_LR:
        train = dataclasses.replace(train, lr=PEAK_LR[arch])
    return train, model


def frontends_of(arch: str, frontends: list[str]) -> list[str]:
    """The front ends `arch` trains with: a waveform network has its own filterbank, so one run."""
    return ["log"] if arch in WAVEFORM_ARCHS else frontends


def label(arch: str, frontend: str) -> str:
    return arch if frontend == "log" else f"{arch} + {frontend}"


def frontend_of(row: dict) -> str:
    """A row's front end; the transcripts' row and rows written before `--frontends` have none."""
    return row.get("frontend", "log")


def wilson(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% interval of a proportion; honest near 0 and 1 where the normal one is not."""
    if n == 0:
        return float("nan"), float("nan")
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def transcript_ceiling(raw: Path, config: str, seed: int, train) -> dict:
    """What the true transcripts alone allow: a linear SVM on character 2-5-grams of `utt`, trained on
    the train split's text and scored on validation and test text. A model that hears perfectly and
    classifies text this way scores this; on template-disjoint splits it shows how much of the task is
    new wording rather than hearing."""
    meta = recording_metadata(["utt", "intent"], raw)
    train_ids, val_ids = choose_ids(config, train, seed, raw)
    read = fit_text_reader([meta[i]["utt"] or "" for i in train_ids], [meta[i]["intent"] for i in train_ids])
    row = {"arch": "transcripts", "ctc_weight": float("nan"), "config": config, "train_clips_per_s": float("nan")}
    for name, ids in (("val", val_ids), ("test", split_ids(config, "test", raw))):
        predicted = read([meta[i]["utt"] or "" for i in ids])
        correct = int(sum(p == meta[i]["intent"] for p, i in zip(predicted, ids, strict=True)))
        row[f"{name}_accuracy"], row[f"{name}_clips"] = correct / len(ids), len(ids)
        row[f"{name}_interval"] = wilson(correct, len(ids))
    return row


class BestState:
    """Hook: keeps the weights of the best validation epoch in memory."""

    def __init__(self):
        self.state: dict[str, torch.Tensor] | None = None

    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None:
        if improved:
            self.state = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}


class OutOfTime(Exception):
    """Raised at an epoch's end when the next epoch would not finish before the deadline."""


class Deadline:
    """Hook: stops the run once its next epoch, as long as the last one, would end past `at` (a
    `time.time()`), keeping `reserve` more epochs' time for what follows the epochs (the transcript
    reader transcribes every training clip once, then test is scored); runs after `BestState`, so the
    epoch just finished is kept if it was the best."""

    def __init__(self, at: float | None, reserve: float = 0.0):
        self.at, self.reserve, self.epoch_started = at, reserve, time.time()

    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None:
        now = time.time()
        epoch_seconds, self.epoch_started = now - self.epoch_started, now
        if self.at is not None and now + (1 + self.reserve) * epoch_seconds > self.at:
            raise OutOfTime


class EpochLine:
    """Hook: one stderr line per epoch, so a run cut short by its machine still says how far it got."""

    def __init__(self, name: str, epochs: int):
        self.name, self.epochs, self.started = name, epochs, time.perf_counter()

    def on_epoch_end(self, trainer: Trainer, row: dict[str, float], improved: bool) -> None:
        print(f"{self.name} epoch {row['epoch']}/{self.epochs}: val accuracy {row['val_accuracy']:.3f}, "
              f"{row['samples_per_s']:.0f} clips/s, {time.perf_counter() - self.started:.0f} s"
              f"{' *' if improved else ''}", file=sys.stderr, flush=True)  # fmt: skip


def run_one(args, params, arch: str, ctc: float, frontend: str, config: str, seed: int, stores, device) -> dict:
    started = time.perf_counter()
    features_dir = args.waveform if arch in WAVEFORM_ARCHS else args.logmel
    store = stores.setdefault(features_dir, FeatureStore(features_dir))
    train, model_params = recipe(params, arch, ctc, args.epochs, args.widen, frontend)
    run_params = dataclasses.replace(
        params, seed=seed, train=train, model=dataclasses.replace(params.model, **model_params),
        features=FeatureParams.from_metadata(store.metadata, str(features_dir)),
    )  # fmt: skip
    run = prepare_run(RunSettings(run_params, config, device), features_dir, args.raw)  # the train stage's setup
    model, data, val = run.model, run.data.train, run.data.val
    mean, std = run.data.mean, run.data.std
    test = load_split(store, split_ids(config, "test", args.raw), args.raw, device)
    reads = train.reader and ctc > 0
    name = f"{label(arch, frontend)} CTC {ctc:g} {config} seed {seed}"
    loaded = time.perf_counter()
    print(f"{name}: loaded in {loaded - started:.0f} s", file=sys.stderr, flush=True)
    best, deadline = BestState(), Deadline(args.deadline, reserve=1.0 if reads else 0.0)
    trainer = Trainer(model, run.data, run.settings, Hooks([best, deadline, EpochLine(name, train.epochs)]))
    with contextlib.suppress(OutOfTime):
        trainer.fit()
    state = trainer.state
    trained = time.perf_counter()
    model.load_state_dict(best.state)
    reading = fit_reader(model, data, val, mean, std, train, device) if reads else None
    reader = reading.reader if reading is not None else None
    row = {"arch": arch, "ctc_weight": ctc, "frontend": frontend, "config": config, "seed": seed,
           "epochs": args.epochs, "channels": list(model_params["channels"]),
           "epochs_trained": state.epoch, "best_epoch": state.best["epoch"], "device": str(device),
           "train_clips_per_s": statistics.median(h["samples_per_s"] for h in state.history)}  # fmt: skip
    for name, split in (("val", val), ("test", test)):
        logits, heard = score_split(model, split, mean, std, 128, device, transcribe=True)
        truth, predicted = split.labels.cpu().numpy(), logits.argmax(1).numpy()
        metrics = classification_metrics(truth, predicted)
        correct = int((predicted == truth).sum())
        row[f"{name}_accuracy"], row[f"{name}_clips"] = metrics["accuracy"], len(split)
        row[f"{name}_interval"] = wilson(correct, len(split))
        if ctc > 0:
            row[f"{name}_cer"] = character_error_rate(split.texts, heard)[0]
        if reader is not None:
            fused = reader.fuse(logits, heard).argmax(1).numpy()
            fused_correct = int((fused == truth).sum())
            row[f"{name}_fused_accuracy"] = fused_correct / len(split)
            row[f"{name}_fused_interval"] = wilson(fused_correct, len(split))
            row["reader_weight"] = reader.weight
        if name == "test":  # every clip's intent, so two runs can be paired on the same clips
            row["test_predicted"] = predicted.tolist()
            row["test_fused_predicted"] = fused.tolist() if reader is not None else None
    row["val_noise_snr_db"] = train.val_noise_snr_db
    finished = time.perf_counter()
    row["seconds"] = finished - started
    # where the time went: loading the splits, the epochs, then the reader and scoring
    row["phase_seconds"] = {"load": loaded - started, "train": trained - loaded, "after": finished - trained}
    return row


def cell(rows: list[dict], key: str) -> str:
    values = [r[key] for r in rows if key in r]
    if not values:
        return "–"
    if len(values) == 1:
        low, high = (
            rows[0].get(key.replace("accuracy", "interval"), (None, None)) if "accuracy" in key else (None, None)
        )
        interval = f" ({low:.3f}–{high:.3f})" if low is not None else ""
        return f"{values[0]:.3f}{interval}"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def table(rows: list[dict], costs: dict[tuple[str, str], object], configs: list[str], jobs: int = 1) -> str:
    speed_header = "train clips/s" if jobs == 1 else f"train clips/s ({jobs} runs sharing the device)"
    header = ["arch", "CTC", "params", "MFLOPs/s audio", speed_header]
    fused = any("test_fused_accuracy" in r for r in rows)
    for config in configs:
        header += [f"{config} val acc", f"{config} test acc"]
        header += [f"{config} test fused (reader)"] if fused else []
        header += [f"{config} test CER"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for arch, frontend in dict.fromkeys((r["arch"], frontend_of(r)) for r in rows):
        same = [r for r in rows if (r["arch"], frontend_of(r)) == (arch, frontend)]
        weights = [None] if arch == "transcripts" else dict.fromkeys(r["ctc_weight"] for r in same)
        for ctc in weights:
            mine = [r for r in same if r["ctc_weight"] == ctc or arch == "transcripts"]
            if arch == "transcripts":
                cells = ["text of `utt` (char n-gram SVM)", "–", "–", "–", "–"]
            else:
                cost = costs[(arch, frontend)]
                speed = statistics.median(r["train_clips_per_s"] for r in mine)
                cells = [label(arch, frontend), f"{ctc:g}", f"{cost.parameters / 1e3:.0f}k",
                         f"{cost.mflops_per_second:.1f}", f"{speed:.0f}"]  # fmt: skip
            for config in configs:
                in_config = [r for r in mine if r["config"] == config]
                cells += [cell(in_config, "val_accuracy"), cell(in_config, "test_accuracy")]
                cells += [cell(in_config, "test_fused_accuracy")] if fused else []
                cells += [cell(in_config, "test_cer")]
            lines.append("| " + " | ".join(cells) + " |")
    clips = {c: next((r["test_clips"] for r in rows if r["config"] == c), 0) for c in configs}
    lines.append("")
    lines.append("test clips: " + ", ".join(f"{c} {n}" for c, n in clips.items()) + "; accuracy (Wilson 95% interval)")
    noisy = sorted({r["config"] for r in rows if r.get("val_noise_snr_db") is not None})
    if noisy:
        snr = next(r["val_noise_snr_db"] for r in rows if r.get("val_noise_snr_db") is not None)
        lines.append(f"validation carried noise at {snr:g} +- 5 dB SNR (train.val_noise_snr_db): {', '.join(noisy)}")
    trained = {r["arch"]: r["channels"] for r in rows if "channels" in r}
    lines.append("channels: " + "; ".join(f"{arch} {tuple(c)}" for arch, c in trained.items()))
    stopped = [r for r in rows if r.get("epochs_trained", 0) < r.get("epochs", 0)]
    for r in stopped:
        lines.append(
            f"stopped by --time-limit: {label(r['arch'], frontend_of(r))} CTC {r['ctc_weight']:g} "
            f"{r['config']} seed {r['seed']} "
            f"after {r['epochs_trained']} of {r['epochs']} epochs"
        )
    return "\n".join(lines)


SLOWEST_FIRST = {"cnn2d": 0, "cnn2d_pooled": 1, "cnn1d": 1, "tcnn": 2, "cnn1d_pooled": 3, "tcnn_pooled": 4}


def make_corpus(args, params) -> None:
    """The ITALIC-sized synthetic corpus (the download stage's own code) and the log-mel and waveform
    features (the featurize stage's) that `--archs` need, each made once in `--work` and reused by a
    second run."""
    raw, done = args.work / "raw", args.work / f".corpus-{args.synthesize}"
    args.raw, args.logmel, args.waveform = raw, args.work / "logmel", args.work / "waveform"
    if not done.exists():
        started = time.perf_counter()
        run_download(dataclasses.replace(params.data, source="synth", synth_recordings=args.synthesize), raw)
        print(f"corpus: {args.synthesize} recordings in {time.perf_counter() - started:.1f} s", flush=True)
        done.touch()
    needed = {"waveform" if arch in WAVEFORM_ARCHS else "logmel" for arch in args.archs}
    for kind, folder in (("logmel", args.logmel), ("waveform", args.waveform)):
        made = args.work / f".{kind}-{args.synthesize}"
        if kind not in needed or made.exists():
            continue
        started = time.perf_counter()
        run_featurize(dataclasses.replace(params.features, kind=kind), params.data.max_skipped_fraction, raw, folder)
        print(f"featurize {kind}: {time.perf_counter() - started:.1f} s", flush=True)
        made.touch()


def run_in_child(args, params, arch: str, ctc: float, frontend: str, config: str, seed: int, threads: int) -> dict:
    """One run in a process of its own (spawned, so CUDA starts clean), on its share of the cores."""
    torch.set_num_threads(threads)
    return run_one(args, params, arch, ctc, frontend, config, seed, {}, pick_device(args.device, "--device"))


def run_all(args, params, runs: list[tuple[str, float, str, str, int]]):
    """Yields each run's row as it finishes: in this process with `--jobs 1`, else `--jobs` at a time,
    slowest architectures first so the last to finish is not the longest."""
    if args.jobs == 1:
        device, stores = pick_device(args.device, "--device"), {}
        for arch, ctc, frontend, config, seed in runs:
            yield run_one(args, params, arch, ctc, frontend, config, seed, stores, device)
        return
    runs = sorted(runs, key=lambda run: SLOWEST_FIRST.get(run[0], 4))
    threads = max(1, (os.cpu_count() or 1) // args.jobs)
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(args.jobs, mp_context=context) as pool:
        pending = [pool.submit(run_in_child, args, params, *run, threads) for run in runs]
        for future in concurrent.futures.as_completed(pending):
            yield future.result() | {"jobs": args.jobs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=Path("data/raw"))
    parser.add_argument("--logmel", type=Path, default=Path("data/features"), help="log-mel shards (tcnn, cnn2d)")
    parser.add_argument("--waveform", type=Path, default=None, help="waveform shards (cnn1d, cnn1d_pooled)")
    parser.add_argument("--synthesize", type=int, default=0, metavar="RECORDINGS",
                        help="first make a synthetic corpus of this size and both feature sets in --work")  # fmt: skip
    parser.add_argument("--work", type=Path, default=Path("/tmp/italic-cnn-models"))
    parser.add_argument("--params", type=Path, default=ROOT / "params.yaml")
    parser.add_argument("--configs", nargs="+", default=["massive"])
    parser.add_argument(
        "--archs", nargs="+", default=["tcnn_pooled", "tcnn", "cnn2d", "cnn2d_pooled", "cnn1d", "cnn1d_pooled"]
    )
    parser.add_argument("--ctc", nargs="+", type=float, default=None,
                        help="train.ctc_weight of each run; default: params' and 0 (without the head)")  # fmt: skip
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument(
        "--first-seed", type=int, default=None, help="the first of --seeds seeds; default: params' seed"
    )
    parser.add_argument("--device", default="auto")
    parser.add_argument("--jobs", type=int, default=1, help="runs trained at once, each in its own process")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--widen", type=positive, default=1.0, metavar="FACTOR",
                        help="every arch's channels times this (rounded); the table lists the widths")  # fmt: skip
    parser.add_argument("--time-limit", type=positive, default=None, metavar="SECONDS",
                        help="stop each run after the epoch whose successor would end this long after start")  # fmt: skip
    parser.add_argument("--frontends", nargs="+", choices=["log", "pcen", "log+pcen"], default=None,
                        help="model.frontend of the spectrogram networks, each a run; default: params'")  # fmt: skip
    args = parser.parse_args()
    device_or_usage_error(parser, args.device)  # each run picks it again in its own process
    args.deadline = None if args.time_limit is None else time.time() + args.time_limit
    params = load_params(args.params)
    args.frontends = args.frontends or [params.model.frontend]
    args.ctc = args.ctc or [params.train.ctc_weight, 0.0]
    if args.synthesize:
        make_corpus(args, params)
    if set(args.archs) & set(WAVEFORM_ARCHS) and args.waveform is None:
        parser.error("cnn1d and cnn1d_pooled need --waveform (shards made with features.kind waveform) or --synthesize")
    costs = {}
    for arch in args.archs:
        features_dir = args.waveform if arch in WAVEFORM_ARCHS else args.logmel
        metadata = FeatureStore(features_dir).metadata
        for frontend in frontends_of(arch, args.frontends):
            model = recipe(params, arch, 0.0, args.epochs, args.widen, frontend)[1]
            costs[(arch, frontend)] = model_cost(arch, model, metadata)
    rows = []
    for config in args.configs:
        row = transcript_ceiling(args.raw, config, params.seed, params.train)
        rows.append(row)
        print(json.dumps(row), flush=True)
    first_seed = params.seed if args.first_seed is None else args.first_seed
    runs = [(arch, ctc, frontend, config, seed) for config in args.configs for ctc in args.ctc
            for arch in args.archs for frontend in frontends_of(arch, args.frontends)
            for seed in range(first_seed, first_seed + args.seeds)]  # fmt: skip
    for row in run_all(args, params, runs):
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if not k.endswith("_predicted")}), flush=True)
        if args.out:
            with open(args.out, "a") as handle:
                handle.write(json.dumps(row) + "\n")
    order = {run[:4]: i for i, run in enumerate(runs)}
    rows.sort(key=lambda r: (r["arch"] != "transcripts",
                             order.get((r["arch"], r["ctc_weight"], r.get("frontend"), r["config"]), 0)))  # fmt: skip
    print(table(rows, costs, args.configs, args.jobs))


if __name__ == "__main__":
    main()
