"""Featurize throughput: this stage's path against librosa and per-clip torchaudio, in one run.

    python benchmarks/featurize.py [--clips 2000] [--audio wav|flac] [--repeat 3]

Every method does the same work per clip on the same raw table: read the audio bytes from
data/raw-style shards, decode with soundfile, downmix, resample to 16 kHz when needed, compute a
64-bin log-mel (n_fft 400, hop 160, HTK mel, 80 dB floor), and write float16 Parquet shards.
The clips are the first `--clips` recordings of the synthetic corpus (rendered first, not timed), as
16-bit PCM WAV (`--audio wav`, default: ITALIC's own format) or FLAC (`flac`: what `data.source:
synth` stores in data/raw). The last line is
`speedup vs librosa: <float>x` (best of `--repeat` runs each); without librosa installed it compares
with per-clip torchaudio alone.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf
import torch
import torchaudio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.audio import AudioInfo  # noqa: E402
from pipeline.download.raw_table import ShardWriter  # noqa: E402
from pipeline.features.shards import FeatureShardWriter  # noqa: E402
from pipeline.features.stage import iter_raw, run_featurize  # noqa: E402
from pipeline.parallel import process_pool  # noqa: E402
from pipeline.params import FeatureParams, resolve_workers  # noqa: E402
from pipeline.synth.plan import minimum_recordings, plan_corpus  # noqa: E402
from pipeline.synth.render import encode, render  # noqa: E402
from tests.corpus import meta_row  # noqa: E402


def build_raw(folder: Path, clips: int, audio: str) -> float:
    """A raw table of the first `clips` synthetic recordings; returns their total seconds of audio."""
    folder.mkdir(parents=True)
    writer = ShardWriter(folder)
    plan = plan_corpus(max(clips, minimum_recordings()), seed=1)
    recordings = plan.recordings[:clips]
    with process_pool(resolve_workers(0)) as pool:
        rendered = list(pool.map(render, recordings, chunksize=16))
    for recording, samples in zip(recordings, rendered, strict=True):
        data = encode(samples, audio.upper())
        info = AudioInfo(16000, 1, len(samples))
        writer.add_recording(recording.metadata(), info, data, f"recordings/{recording.id}.{audio}")
    writer.close()
    return sum(len(samples) for samples in rendered) / 16000


def per_clip(raw: Path, out: Path, params: FeatureParams, compute: Callable[[np.ndarray, int], np.ndarray]) -> None:
    """The one-clip-at-a-time way: decode, compute, write, next."""
    out.mkdir()
    writer = FeatureShardWriter(out, params.metadata(), params.shard_rows)
    for rid, data in iter_raw(raw):
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
        mono = samples.mean(axis=1)
        features = compute(mono, rate)
        writer.add_array(rid, features, len(mono) / rate)
    writer.close()


def librosa_logmel(params: FeatureParams) -> Callable[[np.ndarray, int], np.ndarray]:
    import librosa

    def compute(mono: np.ndarray, rate: int) -> np.ndarray:
        if rate != params.sample_rate:
            mono = librosa.resample(mono, orig_sr=rate, target_sr=params.sample_rate)
        mel = librosa.feature.melspectrogram(
            y=mono, sr=params.sample_rate, n_fft=params.n_fft, hop_length=params.hop_length,
            win_length=params.window, n_mels=params.n_mels, fmin=params.f_min, fmax=params.upper_hz,
            power=params.power, htk=True, norm=None, center=True, pad_mode="reflect",
        )  # fmt: skip
        return librosa.power_to_db(mel, ref=np.max, top_db=params.top_db)

    return compute


def torchaudio_logmel(params: FeatureParams) -> Callable[[np.ndarray, int], np.ndarray]:
    mel = torchaudio.transforms.MelSpectrogram(
        params.sample_rate, n_fft=params.n_fft, win_length=params.window, hop_length=params.hop_length,
        f_min=params.f_min, f_max=params.upper_hz, n_mels=params.n_mels, power=params.power, mel_scale="htk",
    )  # fmt: skip
    to_db = torchaudio.transforms.AmplitudeToDB("power", top_db=params.top_db)

    def compute(mono: np.ndarray, rate: int) -> np.ndarray:
        wave = torch.from_numpy(mono)
        if rate != params.sample_rate:
            wave = torchaudio.functional.resample(wave, rate, params.sample_rate)
        with torch.inference_mode():
            return to_db(mel(wave)).numpy()

    return compute


def best_time(action: Callable[[Path], None], work: Path, repeat: int) -> float:
    best = float("inf")
    for attempt in range(repeat):
        out = work / f"out-{time.perf_counter_ns()}-{attempt}"
        started = time.perf_counter()
        action(out)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=2000)
    parser.add_argument("--audio", choices=("wav", "flac"), default="wav")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    args = parser.parse_args()
    try:
        import librosa  # noqa: F401

        with_librosa = True
    except ImportError:  # the baseline is then per-clip torchaudio alone
        print("librosa is not installed (pip install -e '.[bench]'): comparing with torchaudio only", file=sys.stderr)
        with_librosa = False

    params = FeatureParams(log="db", device=args.device)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        audio_seconds = build_raw(work / "raw", args.clips, args.audio)
        raw = work / "raw"
        n = sum(1 for _ in iter_raw(raw))
        # warm-up: librosa builds filters and JIT caches, torch sets up its thread pools
        warm = make_small(work, raw)
        if with_librosa:
            per_clip(warm, work / "warm-librosa", params, librosa_logmel(params))
        per_clip(warm, work / "warm-torchaudio", params, torchaudio_logmel(params))
        run_featurize(params, 1.0, warm, work / "warm-stage")

        timings = {
            "italic-cnn featurize": best_time(lambda out: run_featurize(params, 1.0, raw, out), work, args.repeat),
            "torchaudio, per clip": best_time(
                lambda out: per_clip(raw, out, params, torchaudio_logmel(params)), work, args.repeat
            ),
        }
        if with_librosa:
            timings["librosa, per clip"] = best_time(
                lambda out: per_clip(raw, out, params, librosa_logmel(params)), work, args.repeat
            )
        device = "cuda" if args.device != "cpu" and torch.cuda.is_available() else "cpu"
        print(f"{n} clips, {audio_seconds / 60:.1f} min of audio, {args.audio}, torch threads "
              f"{torch.get_num_threads()}, stage device {device}")  # fmt: skip
        baseline = "librosa, per clip" if with_librosa else "torchaudio, per clip"
        base = timings[baseline]
        for name, seconds in timings.items():
            print(f"{name:24s} {n / seconds:8.1f} clips/s  {audio_seconds / seconds:8.0f}x real time  "
                  f"{base / seconds:5.2f}x {baseline.split(',')[0]}")  # fmt: skip
        vs_torchaudio = timings["torchaudio, per clip"] / timings["italic-cnn featurize"]
        print(f"speedup vs per-clip torchaudio: {vs_torchaudio:.2f}x")
        if with_librosa:
            print(f"speedup vs librosa: {base / timings['italic-cnn featurize']:.2f}x")
    return 0


def make_small(work: Path, raw: Path) -> Path:
    small = work / "raw-warm"
    small.mkdir()
    writer = ShardWriter(small)
    for count, (rid, data) in enumerate(iter_raw(raw)):
        if count == 16:
            break
        writer.add_recording(meta_row(rid), AudioInfo(16000, 1, 1), data, f"{rid}")
    writer.close()
    return small


if __name__ == "__main__":
    sys.exit(main())
