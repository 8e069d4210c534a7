"""The params reference: every key of params.yaml with its default, what it accepts and what it means.

`italic-cnn params` prints it as the Markdown table the README holds (a test keeps the two equal), so
the defaults and bounds come from the dataclasses that enforce them, and the meanings live here once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from pipeline.italic import CONFIGS
from pipeline.params import Params, Recipe, _yaml_value, allowed_text

MEANINGS: dict[str, str] = {
    "seed": "seed of every random choice of training (initialization, batches, augmentation, the reader's split)",
    "data.source": "`synth` (synthesized here, espeak-ng and Kokoro speech), `zenodo` (a local folder in ITALIC's zenodo "
    "layout) or `hub` (the Hugging Face hub, or a local folder in its Parquet layout)",
    "data.synth_recordings": "`synth`: corpus size (at least 390); `16521` gives ITALIC's shape and split sizes",
    "data.synth_seed": "`synth`: which corpus; apart from `seed`, so a new training seed keeps the data",
    "data.synth_kokoro_share": "`synth`: share of speakers, in each hard_speaker pool, voiced by Kokoro-82M (a neural "
    "voice family) instead of espeak-ng; `0` = espeak-ng only (the same corpus otherwise); Kokoro renders at "
    "about 1 s a clip on 2 cores, espeak-ng at 0.02 s",
    "data.path": "`zenodo`: the unpacked archive, `recordings/<id>.<ext>` and `<config>_<split>.json`",
    "data.configs": "the ITALIC configs that `train` and `evaluate` run for; the first is `predict`'s default model",
    "data.max_skipped_fraction": "`download` and `featurize` fail if a larger share of recordings is unusable",
    "data.hub_repo": "`hub`: the dataset id, or a local folder in the hub's Parquet layout",
    "data.hub_revision": "`hub`: the revision holding the Parquet export",
    "data.workers": "threads reading audio files, or processes rendering `synth` speech; `0` = every core",
    "features.kind": "`logmel`, `stft` (log magnitude), `mfcc`, or `waveform` (the signal itself, for `cnn1d*`)",
    "features.sample_rate": "every clip is downmixed and resampled to this rate",
    "features.n_fft": "FFT size (25 ms at 16 kHz); even; clips shorter than this are skipped, counted",
    "features.win_length": "window length, at most `n_fft`; `null` = `n_fft`",
    "features.hop_length": "hop (10 ms at 16 kHz), at most the window",
    "features.n_mels": "mel bands (`logmel`, `mfcc`), at most `n_fft/2+1`",
    "features.n_mfcc": "cepstral coefficients (`mfcc`), at most `n_mels`",
    "features.f_min": "lowest mel band edge, Hz",
    "features.f_max": "highest mel band edge, Hz, at most `sample_rate/2`; `null` = `sample_rate/2`",
    "features.mel_scale": "`htk` or `slaney` mel scale",
    "features.mel_norm": "`none` or `slaney` (area-normalised filters)",
    "features.power": "`2.0` power spectrum, `1.0` magnitude",
    "features.log": "`natural` (ln) or `db` (10·log10 power, 20·log10 magnitude)",
    "features.top_db": "floor in dB below each clip's peak; `null` = none",
    "features.max_seconds": "keep each clip's first N seconds (ITALIC's authors cut at 10); cut clips are "
    "counted; `null` = whole clips",
    "features.shard_rows": "clips per Parquet shard",
    "features.workers": "decoding processes (on a GPU they decode and resample; the transform runs on the "
    "device); `0` = every core",
    "features.device": "`auto` (the GPU when there is one), `cpu` or `cuda`",
    "model.arch": "`tcnn_pooled` (plain 1-D blocks over time, bins as channels, each halving time), `tcnn` "
    "(residual 1-D), `cnn2d` (BC-ResNet style 2-D), `cnn2d_pooled` (residual 2-D blocks halving frequency "
    "and time); `cnn1d`, `cnn1d_pooled` read waveforms (a learnable filterbank, then `tcnn`'s or "
    "`tcnn_pooled`'s body)",
    "model.channels": "1-D networks: one block per width, the list's length is the depth; `cnn2d`: the 4 stage "
    "widths (`[16, 24, 32, 40]` suits a CPU); `cnn2d_pooled`: the stem's and 3 blocks' widths "
    "(`[8, 16, 48, 96]`)",
    "model.kernel_size": "odd; `cnn2d`: its depthwise temporal convolutions; `cnn2d_pooled`: the time extent of "
    "its 3 × k convolutions",
    "model.dilation": "`cnn2d_pooled`: time dilation of blocks 2 and 3 (`1` = none)",
    "model.time_kernel": "odd; frames each temporal convolution of the 1-D networks spans",
    "model.dropout": "dropout before both heads (and in `cnn2d`'s blocks)",
    "model.stem_kernel": "`cnn1d*`: filterbank filter length, odd (25 ms at 16 kHz)",
    "model.stem_stride": "`cnn1d*`: filterbank hop (10 ms at 16 kHz)",
    "model.filters": "`cnn1d*`: filterbank bands",
    "model.frontend": "`logmel` / `stft` features: `log` reads them as featurized; `pcen` puts trainable "
    "per-channel energy normalization first; `log+pcen` gives the network both, stacked along the bins",
    "train.epochs": "maximum epochs, and the span of the one-cycle schedule",
    "train.batch_size": "the global batch (split across `train.nproc` processes)",
    "train.optimizer": "`adamw`, or `sgd` with Nesterov momentum `train.momentum`",
    "train.lr": "peak learning rate",
    "train.weight_decay": "decoupled weight decay",
    "train.momentum": "`sgd`: momentum",
    "train.scheduler": "`onecycle`, `cosine` (after a linear warm-up of `train.warmup_epochs`) or `constant`",
    "train.warmup_epochs": "`cosine`: warm-up epochs",
    "train.label_smoothing": "label smoothing of the intent loss",
    "train.ctc_weight": "loss = intent cross-entropy + `ctc_weight` × CTC on the transcript (`utt`); `0` = no CTC head",
    "train.reader": "after the epochs, fuse a reader of the CTC head's transcripts (character n-grams, "
    "logistic regression) with the intent head, its weight chosen on validation; needs `ctc_weight` > 0",
    "train.max_seconds": "longer training clips are cropped at random, a new crop each epoch (without the CTC "
    "term); `10` = whole clips",
    "train.speed": "speed perturbation: one factor per batch within 1 ± `speed`; `0` = off",
    "train.time_shift_ms": "shift each training clip up to this much earlier or later; `0` = off",
    "train.freq_mask": "SpecAugment: widest frequency mask, bins; `0` = off",
    "train.time_mask": "SpecAugment: widest time mask, frames; `0` = off",
    "train.masks": "SpecAugment: masks of each kind per clip",
    "train.noise_prob": "chance of mixing background noise into a training clip",
    "train.noise_snr_db": "the noise's level below the clip, dB (each clip ± 5 dB)",
    "train.noise_kinds": "what a mixed clip draws from: `babble` (another clip of the batch), `white`, `pink`, `brown`",
    "train.val_split": "`italic` (the config's validation split) or `speaker` (a speaker-disjoint hold-out of train)",
    "train.val_fraction": "`speaker`: share of train speakers held out",
    "train.val_noise_snr_db": "noise of `train.noise_kinds` mixed into every validation clip once, at this SNR "
    "± 5 dB, the same for every run of a seed, so validation can choose for a noisy test; `null` = clean",
    "train.select_by": "`macro_f1`, `accuracy` or `loss` on validation: the epoch kept",
    "train.patience": "epochs without improvement before stopping; `0` = never",
    "train.deterministic": "deterministic algorithms (bit-identical reruns on CPU; slower kernels on a GPU)",
    "train.precision": "forward pass in bf16 autocast or float32 (weights, losses and scores float32); auto: bf16 on CUDA, float32 on CPU",
    "train.compile": "`torch.compile` the model (default mode, dynamic shapes)",
    "train.width_multiple": "pad each training batch's width to a multiple of this many frames (fewer shapes "
    "for cuDNN to plan); `0` = 32 on a GPU, 1 on CPU",
    "train.device": "`auto`, `cpu` or `cuda`",
    "train.threads": "torch CPU threads; `0` = every core",
    "train.nproc": "data-parallel processes on this node; above 1 the stage launches itself through torchrun (DDP)",
}

RECIPE_MEANING = (
    "{config}'s own recipe: the model and train keys (by their names, without the section) on which it "
    "departs from the shared sections; `{{}}` = the shared recipe"
)


def leaf_keys() -> list[tuple[str, Any]]:
    """(dotted key, default) for every key but the per-config recipes, in params.yaml's order."""
    defaults = Params()
    keys: list[tuple[str, Any]] = []
    for field in dataclasses.fields(Params):
        value = getattr(defaults, field.name)
        if field.name in CONFIGS:  # the recipes, after every other key
            continue
        if dataclasses.is_dataclass(value):
            keys += [(f"{field.name}.{inner.name}", getattr(value, inner.name)) for inner in dataclasses.fields(value)]
        else:
            keys.append((field.name, value))
    return keys


def recipe_yaml(recipe: Recipe) -> str:
    """A recipe as one line of YAML flow style, as params.yaml could spell it."""
    keys = {key: list(value) if isinstance(value, tuple) else value for key, value in recipe.keys().items()}
    return yaml.safe_dump(keys, default_flow_style=True, sort_keys=False, width=10**6).strip()


def markdown() -> str:
    """The table, one row per key, as the README's params section holds it."""
    rows = ["| key | default | allowed | meaning |", "|---|---|---|---|"]
    for key, default in leaf_keys():
        rows.append(f"| `{key}` | `{_yaml_value(default)}` | {allowed_text(key)} | {MEANINGS[key]} |")
    defaults = Params()
    for config in CONFIGS:
        rows.append(
            f"| `{config}` | `{recipe_yaml(defaults.recipe(config))}` | a mapping of model and train keys | "
            f"{RECIPE_MEANING.format(config=config)} |"
        )
    return "\n".join(rows) + "\n"
