"""Whole-clip batches grouped by length, the augmentations on them, and the CTC term's skipping rules."""

from __future__ import annotations

import torch

from pipeline import alphabet
from pipeline.inference.clips import Split, pack
from pipeline.models import build_model
from pipeline.params import Params, TrainParams
from pipeline.train.data import Augmenter, length_batches
from pipeline.train.run import RunData, RunSettings
from pipeline.train.trainer import Trainer

FEATURES = {"kind": "logmel", "sample_rate": 16000, "hop_length": 160, "power": 2.0, "log": "natural", "n_fft": 400,
            "n_mels": 8, "f_min": 0.0, "f_max": 8000.0, "mel_scale": "htk", "mel_norm": "none"}  # fmt: skip


def trainer_of(model, train: TrainParams, split: Split, mean: torch.Tensor, std: torch.Tensor) -> Trainer:
    settings = RunSettings(Params(seed=0, train=train), "massive", torch.device("cpu"))
    return Trainer(model, RunData(split, split, mean, std, FEATURES), settings)


def split_of(lengths: list[int], texts: list[str | None], n_bins: int = 8) -> Split:
    frames, starts, packed_lengths = pack([torch.randn(n_bins, n).half() + 1 for n in lengths])
    targets, target_lengths = alphabet.targets(texts)
    return Split(list(range(len(lengths))), frames, starts, packed_lengths, torch.arange(len(lengths)) % 60,
                 targets, target_lengths, [alphabet.normalize_text(t) for t in texts])  # fmt: skip


def test_length_batches_cover_each_clip_once_in_full_batches_of_similar_length():
    lengths = torch.randint(20, 1000, (1000,), generator=torch.Generator().manual_seed(0))
    batches = length_batches(lengths, 16, torch.Generator().manual_seed(1))
    seen = torch.cat(batches)
    assert len(batches) == 1000 // 16 and all(len(b) == 16 for b in batches)
    assert len(set(seen.tolist())) == len(seen)
    padded = sum(int(lengths[b].max()) * len(b) for b in batches) / int(lengths[seen].sum())
    random_order = torch.randperm(1000, generator=torch.Generator().manual_seed(2))[: len(seen)].split(16)
    padded_at_random = sum(int(lengths[b].max()) * len(b) for b in random_order) / int(lengths[seen].sum())
    assert padded < 1.1 < padded_at_random  # grouping by length wastes < 10% on padding; random order far more
    again = length_batches(lengths, 16, torch.Generator().manual_seed(1))
    assert all(torch.equal(a, b) for a, b in zip(batches, again, strict=True))


def test_augmented_batches_stay_zero_past_each_clip_and_cropped_clips_skip_ctc():
    split = split_of([50, 300, 120, 80], ["uno", "due", "tre", None])
    train = TrainParams(max_seconds=2.0, speed=0.2, time_shift_ms=100.0, noise_prob=1.0, freq_mask=2, time_mask=5,
                        noise_kinds=("babble", "white", "brown"))  # fmt: skip
    augmenter = Augmenter(train, FEATURES)
    mean, std = torch.ones(8), torch.ones(8)
    for seed in range(5):
        batch = augmenter.batch(split, torch.arange(4), mean, std, torch.Generator().manual_seed(seed))
        assert batch.x.shape[-1] == int(batch.lengths.max())
        for row, n in zip(batch.x, batch.lengths.tolist(), strict=True):
            assert row[:, n:].abs().sum() == 0 and row[:, :n].abs().sum() > 0
        # clip 1 (3 s) is longer than max_seconds: cropped, so its transcript no longer applies
        assert batch.target_lengths.tolist() == [3, 0, 3, 0]
        assert int(batch.lengths.max()) <= 200 * 1.25 + 10


def test_a_clip_without_transcript_is_trained_on_and_adds_no_ctc_term():
    torch.manual_seed(0)
    split = split_of([60, 64, 70, 66], ["sì", "no", None, "ok"])
    model = build_model("tcnn", 8, 60, {"channels": (8, 8), "time_kernel": 3, "dropout": 0.0})
    train = TrainParams(epochs=1, batch_size=4, speed=0.0, time_shift_ms=0.0, freq_mask=0, time_mask=0)
    trainer = trainer_of(model, train, split, torch.zeros(8), torch.ones(8))
    batch = trainer.augmenter.batch(split, torch.arange(4), torch.zeros(8), torch.ones(8), torch.Generator())
    outputs = model.outputs(batch.x, batch.lengths)
    with_all = trainer.transcript_loss(outputs.chars, outputs.steps, batch)
    keep = torch.tensor([0, 1, 3])
    without = trainer.transcript_loss(outputs.chars[keep], outputs.steps[keep], batch.rows(keep))
    torch.testing.assert_close(with_all, without)  # the clip without a transcript changes nothing
    intent = torch.nn.functional.cross_entropy(outputs.intent, batch.labels, reduction="none")
    assert intent[2] > 0  # ...but its intent is still learned from
    none = batch.rows(torch.tensor([2]))
    zero = trainer.transcript_loss(outputs.chars[2:3], outputs.steps[2:3], none)
    assert float(zero.detach()) == 0.0 and zero.requires_grad


def test_padding_batches_to_a_width_multiple_changes_shapes_but_not_the_training_step():
    """width_multiple only adds zero frames past every clip: same augmentation, same losses and gradients."""
    split = split_of([50, 173, 120, 80], ["uno", "due", "tre", "quattro"])
    mean, std = torch.zeros(8), torch.ones(8)
    results = []
    for multiple in (1, 32):
        train = TrainParams(epochs=1, batch_size=4, width_multiple=multiple)
        torch.manual_seed(5)  # SpecAugment draws from the global generator
        batch = Augmenter(train, FEATURES).batch(split, torch.arange(4), mean, std, torch.Generator().manual_seed(3))
        torch.manual_seed(0)
        model = build_model("tcnn", 8, 60, {"channels": (8, 8), "time_kernel": 3, "dropout": 0.0})
        trainer = trainer_of(model, train, split, mean, std)
        losses = trainer.step(batch)
        results.append((batch, losses, [p.detach().clone() for p in model.parameters()]))
    (narrow, narrow_losses, narrow_weights), (wide, wide_losses, wide_weights) = results
    assert wide.x.shape[-1] % 32 == 0 and wide.x.shape[-1] > narrow.x.shape[-1]
    assert (
        torch.equal(wide.x[..., : narrow.x.shape[-1]], narrow.x) and wide.x[..., narrow.x.shape[-1] :].abs().sum() == 0
    )
    assert torch.equal(wide.lengths, narrow.lengths)
    for a, b in zip(narrow_losses, wide_losses, strict=True):
        torch.testing.assert_close(a, b)
    for a, b in zip(narrow_weights, wide_weights, strict=True):
        torch.testing.assert_close(a, b)


def test_a_split_holds_clips_unpadded_and_pads_only_the_batch_it_hands_out():
    clips = [torch.randn(3, n).half() for n in (5, 40, 17, 1)]
    split = split_of([5, 40, 17, 1], ["uno", "due", "tre", "quattro"], n_bins=3)
    split.frames, split.starts, split.lengths = pack(clips)
    assert split.frames.shape == (5 + 40 + 17 + 1, 3)  # the frames there, not 4 x the longest
    index = torch.tensor([2, 0, 3])
    batch = split.clips(index, 12)
    for row, i in enumerate(index.tolist()):
        n = min(12, clips[i].shape[1])
        assert torch.equal(batch[row, :, :n], clips[i][:, :n]) and not batch[row, :, n:].any()
    offset = torch.tensor([4, 2, 0])
    window = split.clips(index, 12, offset)
    for row, (i, start) in enumerate(zip(index.tolist(), offset.tolist(), strict=True)):
        n = max(0, min(12, clips[i].shape[1] - start))
        assert torch.equal(window[row, :, :n], clips[i][:, start : start + n]) and not window[row, :, n:].any()
