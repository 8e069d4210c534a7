"""One training run, built once: the setup the train stage and every training benchmark share.

`prepare_run` does, in this order, what a run needs before its first step: threads, determinism and
the seed; the config's train and validation ids and their clips (what featurize skipped is counted,
not lost); noise mixed into validation where the recipe asks; the train split's normalisation; and a
fresh network that knows it. The order matters: the seed is set before the network draws its weights,
so a benchmark and the stage given the same params train the same network.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from pipeline.features.reader import FeatureStore
from pipeline.inference.clips import Split, load_split
from pipeline.labels import INTENTS
from pipeline.models import SpeechNet, build_model
from pipeline.params import Params
from pipeline.train.data import check_not_empty, choose_ids, normalization
from pipeline.train.noise import natural_log_scale
from pipeline.train.noisy_validation import with_noise
from pipeline.train.precision import resolve_precision
from pipeline.train.seeding import set_determinism
from pipeline.world import SINGLE, World


@dataclass
class RunData:
    """The clips a run trains and validates on, the train split's normalisation, and what is missing."""

    train: Split
    val: Split
    mean: torch.Tensor
    std: torch.Tensor
    features: dict[str, Any]  # the shards' feature metadata
    missing: dict[str, dict[int, str]] = field(default_factory=dict)  # split -> {id: reason featurize gave}


@dataclass(frozen=True)
class RunSettings:
    """Where and how a run trains: the config's effective params, the device and this process's rank."""

    params: Params
    config: str
    device: torch.device
    world: World = SINGLE

    @property
    def train(self):  # TrainParams
        return self.params.train

    @property
    def seed(self) -> int:
        return self.params.seed

    @property
    def precision(self) -> str:
        """`fp32` or `bf16`: train.precision resolved on this device."""
        return resolve_precision(self.params.train.precision, self.device)


@dataclass
class Run:
    model: SpeechNet
    data: RunData
    settings: RunSettings

    @property
    def model_params(self) -> dict[str, Any]:
        return dataclasses.asdict(self.settings.params.model)


def prepare_run(settings: RunSettings, features_dir: Path, raw_dir: Path) -> Run:
    """The network, its data and its settings, ready for `Trainer`; see the module docstring."""
    train, device = settings.train, settings.device
    if train.threads:
        torch.set_num_threads(train.threads)
    set_determinism(train.deterministic, device)
    torch.manual_seed(settings.seed)
    data = load_run_data(settings, features_dir, raw_dir)
    model = model_to_train(settings.params.model.arch, dataclasses.asdict(settings.params.model), data)
    return Run(model.to(device), data, settings)


def load_run_data(settings: RunSettings, features_dir: Path, raw_dir: Path) -> RunData:
    """The config's train and validation clips; clips featurize skipped (silent, too short, ...) are
    left out, and named in `missing`."""
    params, config = settings.params, settings.config
    store = FeatureStore(features_dir, expected=params.features.metadata())
    train_listed, val_listed = choose_ids(config, params.train, params.seed, raw_dir)
    train_ids, train_missing = store.split_by_presence(train_listed)
    val_ids, val_missing = store.split_by_presence(val_listed)
    train = load_split(store, train_ids, raw_dir, settings.device)
    val = load_split(store, val_ids, raw_dir, settings.device)
    store.close()  # the splits hold their own copies; the shards' decoded columns are not needed again
    check_not_empty(train, "train", config)
    check_not_empty(val, "validation", config)
    if params.train.val_noise_snr_db is not None:
        val = with_noise(val, params.train, store.metadata, params.seed)
    mean, std = normalization(train)
    return RunData(train, val, mean, std, store.metadata, {"train": train_missing, "validation": val_missing})


def model_to_train(arch: str, model_params: dict[str, Any], data: RunData) -> SpeechNet:
    """A fresh network for the train split whose per-bin mean and std standardize its input. PCEN
    turns standardized features back into energies, so it must know them before the first step; every
    run builds through here so none can forget."""
    model = build_model(arch, data.train.n_bins, len(INTENTS), model_params)
    if model.pcen is not None:
        model.pcen.set_statistics(data.mean, data.std, natural_log_scale(data.features))
    return model
