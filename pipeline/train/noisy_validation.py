"""Validation with background noise, for test sets noisier than anything validation holds.

ITALIC's `hard_noisy` puts its noisiest recordings in test, so its validation split is clean, and a
recipe that helps on noise (`train.noise_prob`) scores no better there: validation cannot choose it.
With `train.val_noise_snr_db` every validation clip gets noise mixed in once, before training, at an
SNR within that value +- 5 dB, of the kinds in `train.noise_kinds` (babble: another validation clip),
by the same code that mixes noise into training batches. The noise is drawn from a generator seeded by
`seed`, so every epoch and every rerun scores the same noisy clips. Test is never touched.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import torch

from pipeline.inference.clips import Split, pack
from pipeline.params import TrainParams
from pipeline.train.data import Augmenter

CHUNK = 256  # clips mixed at once: a padded chunk, never the whole split
NOISE_SEED_OFFSET = 7919  # keeps the validation noise apart from the training draws of the same seed


def with_noise(split: Split, train: TrainParams, features: dict[str, Any], seed: int) -> Split:
    """A copy of `split` whose clips carry noise at `train.val_noise_snr_db` (each clip its own SNR
    and kind); labels, transcripts and lengths unchanged."""
    mixer = Augmenter(dataclasses.replace(train, noise_prob=1.0, noise_snr_db=train.val_noise_snr_db), features)
    generator = torch.Generator().manual_seed(seed + NOISE_SEED_OFFSET)
    mixed: list[torch.Tensor] = []
    for start in range(0, len(split), CHUNK):
        index = torch.arange(start, min(start + CHUNK, len(split)))
        lengths = split.host_lengths[index]
        on_device = index.to(split.device)
        x = split.clips(on_device, int(lengths.max()))
        noisy = mixer.mix_noise(x, split.lengths[on_device], generator).to(split.frames.dtype)
        mixed += [clip[:, :length] for clip, length in zip(noisy, lengths.tolist(), strict=True)]
    frames, starts, _ = pack(mixed)
    return dataclasses.replace(split, frames=frames.to(split.device), starts=starts.to(split.device))
