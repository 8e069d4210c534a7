"""Training input path: in-memory feature tensors against the on-the-fly way, in one run.

    python benchmarks/train.py [--steps 30] [--batch-size 64] [--workers 2] [--device auto] [--raw DIR --features DIR]

Both feed the same model (`model.arch` from params.yaml) the same massive/train clips of the synthetic corpus
(run `dvc repro featurize` first) for the same number of optimizer steps:

- on-the-fly: a torch DataLoader whose items decode the audio bytes with soundfile and compute the
  log-mel with torchaudio per clip, then cut at `train.max_seconds`, pad and collate (`--workers`
  processes);
- in memory: this project's path: features loaded once into one contiguous tensor (on the GPU when
  there is one), batched by length, with every augmentation and the normalization done on whole
  batches.

It prints samples/s of the input path alone and of full training steps for each, and last
`speedup vs on-the-fly: <float>x` for full training steps.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import torch
import torchaudio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.features.reader import FeatureStore  # noqa: E402
from pipeline.features.stage import iter_raw  # noqa: E402
from pipeline.inference.clips import load_split  # noqa: E402
from pipeline.labels import INTENT_INDEX, INTENTS  # noqa: E402
from pipeline.models import build_model  # noqa: E402
from pipeline.params import load_params  # noqa: E402
from pipeline.splits import recording_metadata, split_ids  # noqa: E402
from pipeline.train.data import Augmenter, length_batches, normalization  # noqa: E402


class OnTheFly(torch.utils.data.Dataset):
    """The seed's way: every item decodes its audio and computes its features again."""

    def __init__(self, clips: list[tuple[bytes, int]], params, max_frames: int, mean: torch.Tensor, std: torch.Tensor):
        self.clips, self.max_frames, self.mean, self.std = clips, max_frames, mean, std
        f = params.features
        self.mel = torchaudio.transforms.MelSpectrogram(
            f.sample_rate, n_fft=f.n_fft, hop_length=f.hop_length, n_mels=f.n_mels, f_min=f.f_min, f_max=f.upper_hz
        )
        self.to_db = torchaudio.transforms.AmplitudeToDB("power", top_db=f.top_db)

    def __len__(self) -> int:
        return len(self.clips)

    def __getitem__(self, index: int):
        data, label = self.clips[index]
        samples, _ = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
        with torch.no_grad():
            feature = self.to_db(self.mel(torch.from_numpy(samples.mean(axis=1)))) * (np.log(10) / 10)
        start = np.random.randint(0, max(1, feature.shape[1] - self.max_frames + 1))
        feature = feature[:, start : start + self.max_frames]
        feature = (feature - self.mean[:, None]) / self.std[:, None]
        return feature, feature.shape[1], label


def collate(items):
    width = max(length for _, length, _ in items)
    x = torch.zeros(len(items), items[0][0].shape[0], width)
    for i, (feature, length, _) in enumerate(items):
        x[i, :, :length] = feature
    return x, torch.tensor([n for _, n, _ in items]), torch.tensor([label for _, _, label in items])


def timed(batches, steps: int, model, optimizer, device, train: bool) -> float:
    """Samples/s over `steps` batches (after one warm-up batch), with or without a training step."""
    seen, started = 0, None
    for step, (x, lengths, labels) in enumerate(batches):
        if step == 1:
            if device.type == "cuda":
                torch.cuda.synchronize()
            started, seen = time.perf_counter(), 0
        x, lengths, labels = x.to(device), lengths.to(device), labels.to(device)
        if train:
            loss = torch.nn.functional.cross_entropy(model(x, lengths), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seen += len(labels)
        if step == steps:
            break
    if device.type == "cuda":
        torch.cuda.synchronize()
    return seen / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--features", type=Path, default=ROOT / "data" / "features")
    args = parser.parse_args()
    device = torch.device("cuda" if args.device != "cpu" and torch.cuda.is_available() else "cpu")
    params = load_params(ROOT / "params.yaml")
    train = params.train
    raw, features = args.raw, args.features
    ids = split_ids("massive", "train", raw)
    store = FeatureStore(features)
    data = load_split(store, ids, raw, device)
    mean, std = normalization(data)
    augmenter = Augmenter(train, store.metadata)
    wanted = set(ids)
    intents = recording_metadata(["intent"], raw)
    clips = [(audio, INTENT_INDEX[intents[rid]["intent"]]) for rid, audio in iter_raw(raw) if rid in wanted]

    def in_memory():
        generator = torch.Generator().manual_seed(0)
        while True:
            for index in length_batches(data.lengths, args.batch_size, generator):
                batch = augmenter.batch(data, index.to(device), mean, std, generator)
                yield batch.x, batch.lengths, batch.labels

    def on_the_fly():
        dataset = OnTheFly(clips, params, int(train.max_seconds * 100), mean.cpu(), std.cpu())
        loader = torch.utils.data.DataLoader(
            dataset, batch_size=args.batch_size, shuffle=True, num_workers=args.workers, collate_fn=collate,
            drop_last=True, persistent_workers=False,
        )  # fmt: skip
        while True:
            yield from loader

    results = {}
    for name, source in (("on-the-fly DataLoader", on_the_fly), ("in-memory tensors", in_memory)):
        model = build_model(params.model.arch, data.n_bins, len(INTENTS), vars(params.model)).to(device)
        optimizer = torch.optim.AdamW(model.parameters(), lr=train.lr)
        results[name] = (
            timed(source(), args.steps, model, optimizer, device, train=False),
            timed(source(), args.steps, model, optimizer, device, train=True),
        )
    print(f"{len(clips)} clips (massive/train), batch {args.batch_size}, {args.steps} steps, device {device}, "
          f"model {params.model.arch} {list(params.model.channels)}, DataLoader workers {args.workers}")  # fmt: skip
    for name, (inputs, steps) in results.items():
        print(f"{name:24s} input path {inputs:9.0f} samples/s   training steps {steps:7.0f} samples/s")
    base, ours = results["on-the-fly DataLoader"], results["in-memory tensors"]
    print(f"input path alone: {ours[0] / base[0]:.1f}x")
    print(f"speedup vs on-the-fly: {ours[1] / base[1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
