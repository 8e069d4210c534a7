"""Resampling to 16 kHz: soxr (what featurize and predict use) against torchaudio's sinc resampler, in
one run: time, peak memory per clip and quality, at common rates and at odd ones a hostile file can
declare.

    python benchmarks/resample.py [--seconds 4] [--repeat 5]

Time: best of `--repeat`, one thread. Memory: the growth of a fresh process's peak RSS while it
resamples one clip (after a warm-up at 22,050 Hz), next to the clip's own size as float32. Quality:
SNR of a 1 kHz tone against the exact 16 kHz tone, level of a 7 kHz tone (passband edge, 0 dB ideal)
and what is left of an 11 kHz tone that must not fold back below 8 kHz (stop band, lower is better).
torchaudio's kernel has gcd-reduced `16000 x rate` taps, so at 16,001 Hz it needs gigabytes: its rows
there are the cost this replaced.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TARGET = 16000
RATES = (8000, 22050, 44100, 48000, 16001, 48337)

CHILD = """
import json, sys
def peak():  # this process's own high-water mark: ru_maxrss keeps the parent's across exec
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024
import numpy as np, soxr, torch, torchaudio.functional as AF
torch.set_num_threads(1)
method, rate, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def run(x, r):
    if method == "soxr":
        return soxr.resample(x, r, 16000, quality="HQ")
    return AF.resample(torch.from_numpy(x), r, 16000).numpy()
run(np.random.default_rng(1).standard_normal(22050).astype(np.float32), 22050)
x = np.random.default_rng(0).standard_normal(int(rate * seconds)).astype(np.float32)
before = peak()
run(x, rate)
after = peak()
print(json.dumps({"grown_bytes": after - before}))
"""


def resamplers():
    import soxr
    import torch
    import torchaudio.functional as AF

    torch.set_num_threads(1)
    return {
        "soxr": lambda x, rate: soxr.resample(x, rate, TARGET, quality="HQ"),
        "torchaudio": lambda x, rate: AF.resample(torch.from_numpy(x), rate, TARGET).numpy(),
    }


def tone(freq: float, rate: int, seconds: float) -> np.ndarray:
    return np.sin(2 * np.pi * freq * np.arange(int(rate * seconds)) / rate).astype(np.float32)


def quality(fn, rate: int) -> dict[str, float]:
    """1 kHz SNR, the 7 kHz tone's level and the 11 kHz tone's remainder, in dB, edges trimmed."""
    seconds, trim = 1.0, 800

    def level(y: np.ndarray) -> float:
        core = y[trim:-trim]
        return 10 * np.log10(np.mean(core**2) / 0.5 + 1e-30)

    out = {}
    y = fn(tone(1000, rate, seconds), rate)
    ideal = tone(1000, TARGET, seconds)[: len(y)]
    noise = (y - ideal[: len(y)])[trim:-trim]
    out["snr_1k_db"] = 10 * np.log10(np.mean(ideal[trim:-trim] ** 2) / (np.mean(noise**2) + 1e-30))
    out["edge_7k_db"] = level(fn(tone(7000, rate, seconds), rate))
    out["alias_11k_db"] = level(fn(tone(11000, rate, seconds), rate)) if rate > 22000 else float("nan")
    return out


def peak_growth(method: str, rate: int, seconds: float) -> float:
    run = subprocess.run([sys.executable, "-c", CHILD, method, str(rate), str(seconds)], capture_output=True,
                         text=True, timeout=600, check=True, env=os.environ | {"OMP_NUM_THREADS": "1"})  # fmt: skip
    return json.loads(run.stdout.strip().splitlines()[-1])["grown_bytes"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rates", type=int, nargs="+", default=list(RATES),
                        help="source rates; 16001 and 48337 cost torchaudio 4 and 13 GB")  # fmt: skip
    args = parser.parse_args()
    methods = resamplers()
    rng = np.random.default_rng(0)
    print(f"clip: {args.seconds:g} s of noise; time best of {args.repeat}, one thread; memory: peak RSS growth")
    print("| rate (Hz) | method | ms per clip | vs torchaudio | peak growth (MB) | × clip float32 | "
          "1 kHz SNR (dB) | 7 kHz level (dB) | 11 kHz left (dB) |")  # fmt: skip
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for rate in args.rates:
        x = rng.standard_normal(int(rate * args.seconds)).astype(np.float32)
        clip_bytes = x.nbytes
        times = {}
        slow = set()
        for name, fn in methods.items():
            started = time.perf_counter()
            fn(x, rate)
            best = time.perf_counter() - started
            if best > 1.0:  # torchaudio at an odd rate: seconds a call, timed once, its quality not measured
                slow.add(name)
            for _ in range(args.repeat if name not in slow else 0):
                started = time.perf_counter()
                fn(x, rate)
                best = min(best, time.perf_counter() - started)
            times[name] = best
        for name, fn in methods.items():
            grown = peak_growth(name, rate, args.seconds)
            q = (
                quality(fn, rate)
                if name not in slow
                else dict.fromkeys(("snr_1k_db", "edge_7k_db", "alias_11k_db"), np.nan)
            )
            print(f"| {rate} | {name} | {times[name] * 1000:.2f} | {times['torchaudio'] / times[name]:.1f}x | "
                  f"{grown / 1e6:.1f} | {grown / clip_bytes:.1f} | {q['snr_1k_db']:.1f} | {q['edge_7k_db']:.2f} | "
                  f"{q['alias_11k_db']:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
