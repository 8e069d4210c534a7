"""Serving cost of the product, in one run: `predict` on the checkpoint against its TorchScript, ONNX fp32
and ONNX int8 exports, on one thread and on every core.

    python benchmarks/serve.py [--model models/massive/model.pt] [--raw data/raw] [--repeat 30]

Every runner starts from the same 16 kHz waveforms (decoding is the same for all and left out).
Latency: p50 / p95 per clip at batch 1 for clips of 1, 3 and 10 s (validation clips tiled to that
length), and milliseconds of compute per second of audio at 10 s. Throughput: clips per second at
batch 32 on the validation clips. Peak memory: each runner's own process (VmHWM), which also holds
the validation waveforms (about 290 MB for massive's 2,033 clips); the ONNX runners import no torch. Agreement: on the
validation clips, the share whose intent and transcript equal predict's, and the largest probability
difference. Ratios are against predict on the same number of threads, measured in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUNNERS = ("predict", "torchscript", "onnx fp32", "onnx int8")
SECONDS = (1, 3, 10)


def peak_mb() -> float:
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def validation_waves(model: Path, raw: Path) -> tuple[list[np.ndarray], list[int]]:
    from pipeline.export.run import split_clips
    from pipeline.inference import load_model

    clips = split_clips(load_model(model), raw, "validation")
    if clips is None:
        raise SystemExit(f"no validation clips for {model} under {raw}")
    return clips


def scorer(runner: str, files: dict[str, Path], threads: int):
    """waves -> (probabilities, transcripts) for one runner."""
    if runner == "predict":
        import torch

        from pipeline.inference import load_model
        from pipeline.predict import Predictor

        torch.set_num_threads(threads)
        predictor = Predictor(load_model(files["checkpoint"]), torch.device("cpu"))

        def run(waves):
            with torch.inference_mode():
                features = predictor.extractor.batch([torch.from_numpy(w) for w in waves])
                probabilities, heard = predictor.probabilities([f.to(torch.float16).float() for f in features])
            return probabilities.numpy(), heard

        return run
    if runner == "torchscript":
        from pipeline.export.products import TorchScriptProduct

        return TorchScriptProduct(files[runner], threads)
    from pipeline.export.onnx_runtime import OnnxProduct  # onnxruntime and numpy: its peak memory is its own

    return OnnxProduct(files[runner], threads)


def child(runner: str, threads: int, files: dict[str, Path], waves_file: Path, repeat: int) -> dict:
    data = np.load(waves_file)
    waves = [data[f"v{i}"] for i in range(int(data["count"]))]
    run = scorer(runner, files, threads)
    out: dict = {"latency": {}}
    joined = np.concatenate(waves)
    for seconds in SECONDS:
        clip = np.resize(joined, seconds * 16000).astype(np.float32)
        for _ in range(3):  # warm-up: TorchScript's profiling executor optimizes on its second and third call
            run([clip])
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run([clip])
            times.append(time.perf_counter() - started)
        out["latency"][seconds] = (float(np.percentile(times, 50)) * 1000, float(np.percentile(times, 95)) * 1000)
    started = time.perf_counter()
    probabilities, heard = [], []
    for start in range(0, len(waves), 32):
        p, h = run(waves[start : start + 32])
        probabilities.append(p)
        heard += h
    out["throughput"] = len(waves) / (time.perf_counter() - started)
    out["probabilities"] = np.concatenate(probabilities).tolist()
    out["heard"] = heard
    out["peak_mb"] = peak_mb()
    return out


def build(model: Path, raw: Path, work: Path) -> dict[str, Path]:
    from pipeline.export.onnx import export_onnx
    from pipeline.export.torchscript import export_torchscript
    from pipeline.inference import load_model

    loaded = load_model(model)
    files = {"checkpoint": model, "torchscript": work / "model.ts", "onnx fp32": work / "model.onnx",
             "onnx int8": work / "model.int8.onnx"}  # fmt: skip
    export_torchscript(loaded, files["torchscript"])
    export_onnx(loaded, files["onnx fp32"])
    from pipeline.export.onnx import CALIBRATION_CLIPS
    from pipeline.export.run import split_clips

    clips = {"train": split_clips(loaded, raw, "train", CALIBRATION_CLIPS), "validation": validation_waves(model, raw)}
    int8 = export_onnx(loaded, files["onnx int8"], int8=True, clips=clips)
    print(f"int8 export: {json.dumps(int8['validation'])}", file=sys.stderr)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "massive" / "model.pt")
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)  # runner threads files.json waves.npz
    args = parser.parse_args()
    if args.child:
        runner, threads, files, waves = args.child
        files = {k: Path(v) for k, v in json.loads(Path(files).read_text()).items()}
        print(json.dumps(child(runner, int(threads), files, Path(waves), args.repeat)))
        return
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = build(args.model, args.raw, work)
        (work / "files.json").write_text(json.dumps({k: str(v) for k, v in files.items()}))
        waves, labels = validation_waves(args.model, args.raw)
        np.savez(work / "waves.npz", count=len(waves), **{f"v{i}": w for i, w in enumerate(waves)})
        results = {}
        for threads in sorted({1, cores}):
            for runner in RUNNERS:
                run = subprocess.run([sys.executable, __file__, "--repeat", str(args.repeat), "--child", runner,
                                      str(threads), str(work / "files.json"), str(work / "waves.npz")],
                                     capture_output=True, text=True, check=True)  # fmt: skip
                results[runner, threads] = json.loads(run.stdout.strip().splitlines()[-1])
        sizes = {
            runner: files["checkpoint" if runner == "predict" else runner].stat().st_size / 1e6 for runner in RUNNERS
        }
    print(f"model: {args.model}; validation clips: {len(waves)} "
          f"({sum(len(w) for w in waves) / 16000 / len(waves):.1f} s mean); latency at batch 1: "
          f"p50 / p95 of {args.repeat} runs after 3 warm-up runs")  # fmt: skip
    print(
        "| runner | threads | file MB | 1 s p50 / p95 ms | 3 s | 10 s | ms per audio s (10 s) | vs predict | "
        "clips/s at batch 32 | peak MB | intent = predict | transcript = predict | max abs Δp | val accuracy |"
    )
    print("|---|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (runner, threads), r in results.items():
        base = results["predict", threads]
        p, q = np.array(r["probabilities"]), np.array(base["probabilities"])
        lat = r["latency"]
        per_second = lat["10"][0] / 10
        ratio = base["latency"]["10"][0] / lat["10"][0]
        same = float((p.argmax(1) == q.argmax(1)).mean())
        spelled = float(np.mean([a == b for a, b in zip(r["heard"], base["heard"], strict=True)]))
        accuracy = float((p.argmax(1) == np.array(labels)).mean())
        cells = " | ".join(f"{lat[str(s)][0]:.1f} / {lat[str(s)][1]:.1f}" for s in SECONDS)
        print(f"| {runner} | {threads} | {sizes[runner]:.1f} | {cells} | {per_second:.2f} | {ratio:.2f}× | "
              f"{r['throughput']:.0f} | {r['peak_mb']:.0f} | {same:.3f} | {spelled:.3f} | {np.abs(p - q).max():.1e} | "
              f"{accuracy:.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
