"""Strict, typed params.yaml.

`dvc exp run -S key=value` edits params.yaml in place, so a typo there (`train.lrr=1e-3`) or a value
PyYAML reads as a string (`1e-06`) must fail loudly here instead of silently training the default.
Each section is a frozen dataclass; field metadata carries the allowed range or choices, and the
loader turns every violation into one line naming the key, the bad value and what is allowed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import math
import os
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ParamsError
from pipeline.files import FileRefused, read_capped
from pipeline.italic import CONFIGS

DEFAULT_PARAMS = Path("params.yaml")
MAX_SEED = 2**32 - 1  # numpy's and torch's seeds both take it
MAX_WORKERS = 256  # one process each: a typo of 1e6 must not fork a million
MAX_CLIP_SECONDS = 3600.0
MAX_CHANNELS = 4096  # per block; 2**40 would allocate terabytes before the first epoch
MAX_BLOCKS = 32
MAX_PARAMS_BYTES = 1_000_000  # a params file is a few kB; anything near this is not one


def choice(default: Any, *allowed: Any) -> Any:
    """A field whose value must be one of `allowed`."""
    return field(default=default, metadata={"choices": allowed})


def bounded(
    default: Any, *, ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None
) -> Any:
    """A numeric field with inclusive (ge/le) or exclusive (gt/lt) bounds."""
    return field(default=default, metadata={"ge": ge, "gt": gt, "le": le, "lt": lt})


@dataclass(frozen=True)
class DataParams:
    """Where the recordings come from and how many bad ones a run may skip."""

    source: str = choice("synth", "synth", "zenodo", "hub")
    synth_recordings: int = bounded(600, ge=1, le=200_000)  # synth: corpus size; 16521 = ITALIC's shape
    # synth: the corpus; apart from `seed`, which drives training
    synth_seed: int = bounded(20231124, ge=0, le=MAX_SEED)
    # synth: the share of speakers Kokoro voices (a neural voice family); the rest are espeak-ng voices
    synth_kokoro_share: float = bounded(0.15, ge=0.0, le=1.0)
    path: str | None = None  # zenodo: the unpacked archive, recordings/<id>.wav + <config>_<split>.json
    configs: tuple[str, ...] = CONFIGS
    max_skipped_fraction: float = bounded(0.01, ge=0.0, le=1.0)
    hub_repo: str = "RiTA-nlp/ITALIC"
    hub_revision: str = "refs/convert/parquet"
    workers: int = bounded(0, ge=0, le=MAX_WORKERS)

    def check(self, params_file: str = "params.yaml") -> None:
        if self.source == "zenodo" and not self.path:
            raise ParamsError(
                f"{params_file}: data.path must name the unpacked ITALIC folder (recordings/ and "
                "<config>_<split>.json files) when data.source is zenodo"
            )
        # data.synth_recordings' lower bound comes from the synthesizer's templates: `download` and
        # `check-params` check it (pipeline.synth.plan.check_size), so other stages do not run that code
        for config in self.configs:
            if config not in CONFIGS:
                raise ParamsError(f"{params_file}: data.configs has {shown(config)}; allowed: {', '.join(CONFIGS)}")
        if not self.configs:
            raise ParamsError(f"{params_file}: data.configs is empty; list one or more of {', '.join(CONFIGS)}")
        if len(set(self.configs)) != len(self.configs):
            raise ParamsError(f"{params_file}: data.configs lists a config twice: {list(self.configs)}")


FEATURE_KINDS = ("logmel", "stft", "mfcc", "waveform")


@dataclass(frozen=True)
class FeatureParams:
    """How `featurize` turns audio into arrays; every value is also written into the shard metadata."""

    kind: str = choice("logmel", *FEATURE_KINDS)
    sample_rate: int = bounded(16000, ge=1000, le=192000)
    n_fft: int = bounded(400, ge=16, le=16384)
    win_length: int | None = bounded(None, ge=1, le=16384)  # null: n_fft
    hop_length: int = bounded(160, ge=1, le=16384)
    n_mels: int = bounded(64, ge=1, le=512)
    n_mfcc: int = bounded(40, ge=1, le=512)
    f_min: float = bounded(0.0, ge=0.0, le=96000.0)
    f_max: float | None = bounded(None, gt=0.0, le=96000.0)  # null: sample_rate / 2
    mel_scale: str = choice("htk", "htk", "slaney")
    mel_norm: str = choice("none", "none", "slaney")
    power: float = choice(2.0, 1.0, 2.0)
    log: str = choice("natural", "natural", "db")
    top_db: float | None = bounded(80.0, gt=0.0, le=300.0)  # null: no floor relative to the clip's peak
    # null: whole clips; longer ones keep their start, counted
    max_seconds: float | None = bounded(None, ge=0.1, le=MAX_CLIP_SECONDS)
    shard_rows: int = bounded(2000, ge=1, le=100_000)
    workers: int = bounded(0, ge=0, le=MAX_WORKERS)
    device: str = choice("auto", "auto", "cpu", "cuda")

    @property
    def window(self) -> int:
        return self.win_length or self.n_fft

    @property
    def upper_hz(self) -> float:
        return self.f_max if self.f_max is not None else self.sample_rate / 2

    def check(self, params_file: str = "params.yaml") -> None:
        nyquist = self.sample_rate / 2
        if self.n_fft % 2:
            raise ParamsError(
                f"{params_file}: features.n_fft must be even (clips are padded by n_fft/2 on each side), got {self.n_fft}"
            )
        if self.window > self.n_fft:
            raise ParamsError(
                f"{params_file}: features.win_length must be <= features.n_fft ({self.n_fft}), got {self.window}"
            )
        if self.hop_length > self.window:
            raise ParamsError(
                f"{params_file}: features.hop_length must be <= the window (features.win_length or n_fft = "
                f"{self.window}), got {self.hop_length}"
            )
        if self.kind in ("logmel", "mfcc"):
            if self.n_mels > self.n_fft // 2 + 1:
                raise ParamsError(
                    f"{params_file}: features.n_mels must be <= n_fft/2+1 = {self.n_fft // 2 + 1} "
                    f"(features.n_fft {self.n_fft}), got {self.n_mels}"
                )
            if self.upper_hz > nyquist:
                raise ParamsError(
                    f"{params_file}: features.f_max must be <= sample_rate/2 = {nyquist:g}, got {self.upper_hz:g}"
                )
            if self.f_min >= self.upper_hz:
                raise ParamsError(
                    f"{params_file}: features.f_min must be < f_max ({self.upper_hz:g}), got {self.f_min:g}"
                )
        if self.kind == "mfcc" and self.n_mfcc > self.n_mels:
            raise ParamsError(
                f"{params_file}: features.n_mfcc must be <= features.n_mels ({self.n_mels}), got {self.n_mfcc}"
            )

    @classmethod
    def from_metadata(cls, meta: dict[str, Any], source: str = "feature metadata") -> FeatureParams:
        """The params that made a shard or a checkpoint's features (their `metadata()`), for predict."""
        if meta.get("format_version") != FEATURE_FORMAT_VERSION:
            raise ParamsError(
                f"feature metadata of format {shown(meta.get('format_version'))} is not {FEATURE_FORMAT_VERSION}"
            )
        names = ("kind", "sample_rate", "n_fft", "win_length", "hop_length", "n_mels", "n_mfcc", "f_min", "f_max",
                 "mel_scale", "mel_norm", "power", "log", "top_db")  # fmt: skip
        missing = [name for name in names if name not in meta]
        if missing:
            raise ParamsError(f"{source}: features lack {', '.join(missing)}")
        # through the same checks as params.yaml: a checkpoint or shard is a file someone may have edited
        raw = {name: meta[name] for name in names} | {"max_seconds": meta.get("max_seconds")}
        return parse_section(cls, raw, "features.", source)

    def metadata(self) -> dict[str, Any]:
        """What the numbers in a shard mean; runtime-only keys (workers, device, shard_rows) excluded."""
        return {
            "format_version": FEATURE_FORMAT_VERSION,
            "kind": self.kind,
            "sample_rate": self.sample_rate,
            "n_fft": self.n_fft,
            "win_length": self.window,
            "hop_length": self.hop_length,
            "window_fn": "hann",
            "center": True,
            "pad_mode": "reflect",
            "n_mels": self.n_mels,
            "n_mfcc": self.n_mfcc,
            "f_min": self.f_min,
            "f_max": self.upper_hz,
            "mel_scale": self.mel_scale,
            "mel_norm": self.mel_norm,
            "power": self.power,
            "log": self.log,
            "top_db": self.top_db,
            "max_seconds": self.max_seconds,
            "dtype": "float16",
            "layout": "[n_bins, n_frames], C order, little-endian",
        }


FEATURE_FORMAT_VERSION = 1
ARCHS = ("tcnn", "tcnn_pooled", "cnn2d", "cnn2d_pooled", "cnn1d", "cnn1d_pooled")
# model.channels gives these exactly 4 widths (cnn2d's stages; cnn2d_pooled's stem and blocks): widths that suit a CPU
STAGED_ARCHS = {"cnn2d": (16, 24, 32, 40), "cnn2d_pooled": (8, 16, 48, 96)}
WAVEFORM_ARCHS = ("cnn1d", "cnn1d_pooled")  # the rest read spectrogram-like features


@dataclass(frozen=True)
class ModelParams:
    """The network: `tcnn` (residual 1-D over time, bins as channels), `tcnn_pooled` (plain 1-D blocks
    that halve time each; the CTC head reads the second), `cnn2d` (BC-ResNet style 2-D) or
    `cnn2d_pooled` (a strided stem, then residual 2-D blocks that each halve frequency and time) over
    spectrogram-like features, `cnn1d` / `cnn1d_pooled` (learnable filterbank, then the body of `tcnn` /
    `tcnn_pooled`) over waveforms."""

    arch: str = choice("tcnn_pooled", *ARCHS)
    channels: tuple[int, ...] = (96, 144, 192, 240)  # tcnn(_pooled) / cnn1d(_pooled): one block each; cnn2d(_pooled): 4
    kernel_size: int = bounded(3, ge=1, le=15)  # cnn2d: the depthwise temporal convolution; cnn2d_pooled: 3 x k
    dilation: int = bounded(1, ge=1, le=8)  # cnn2d_pooled: time dilation of blocks 2 and 3 (1 = none)
    time_kernel: int = bounded(9, ge=1, le=63)  # tcnn(_pooled) / cnn1d(_pooled): every temporal convolution
    dropout: float = bounded(0.3, ge=0.0, lt=1.0)
    stem_kernel: int = bounded(401, ge=1, le=4001)  # cnn1d: filterbank filter length, 25 ms at 16 kHz
    stem_stride: int = bounded(160, ge=1, le=4000)  # cnn1d: filterbank hop, 10 ms at 16 kHz
    filters: int = bounded(64, ge=1, le=1024)  # cnn1d: filterbank bands
    frontend: str = choice("log", "log", "pcen", "log+pcen")  # spectral features: as featurized | per-channel
    # energy normalization | both, stacked

    def check(self, params_file: str = "params.yaml") -> None:
        if (
            not self.channels
            or len(self.channels) > MAX_BLOCKS
            or any(not 1 <= c <= MAX_CHANNELS for c in self.channels)
        ):
            raise ParamsError(
                f"{params_file}: model.channels must list 1 to {MAX_BLOCKS} widths, each 1 to {MAX_CHANNELS}, "
                f"got {shown(list(self.channels))}"
            )
        for name in ("kernel_size", "time_kernel", "stem_kernel"):
            value = getattr(self, name)
            if value % 2 == 0:
                raise ParamsError(f"{params_file}: model.{name} must be odd (same-size convolutions), got {value}")
        if self.arch in STAGED_ARCHS and len(self.channels) != 4:
            raise ParamsError(
                f"{params_file}: model.arch {self.arch} takes exactly 4 widths in model.channels, got "
                f"{list(self.channels)}; try {list(STAGED_ARCHS[self.arch])}"
            )


def shown_channels(arch: str, chosen_arch: str, channels: Sequence[int]) -> tuple[int, ...]:
    """The widths `italic-cnn models` costs `arch` at. model.channels means one block per entry to the
    1-D networks but fixed stages to each 2-D one, so params' list is used only where it means what
    it does to `arch`: for the chosen arch, and for 1-D ones beside a 1-D choice. Otherwise a 4-entry
    1-D list would cost `cnn2d_pooled` at over ten times the FLOPs anyone trains it with."""
    if arch == chosen_arch or (arch not in STAGED_ARCHS and chosen_arch not in STAGED_ARCHS):
        return tuple(channels)
    return STAGED_ARCHS.get(arch, ModelParams.channels)


TRAINING_NOISES = ("babble", "white", "pink", "brown")  # babble: another training clip of the batch
PRECISIONS = ("auto", "fp32", "bf16")  # train.precision


@dataclass(frozen=True)
class TrainParams:
    """The training loop, model selection and speed switches."""

    epochs: int = bounded(45, ge=1, le=10_000)
    batch_size: int = bounded(64, ge=1, le=8192)
    optimizer: str = choice("adamw", "adamw", "sgd")
    lr: float = bounded(3e-3, gt=0.0, le=10.0)
    weight_decay: float = bounded(1e-2, ge=0.0, le=10.0)
    momentum: float = bounded(0.9, ge=0.0, lt=1.0)
    scheduler: str = choice("onecycle", "onecycle", "cosine", "constant")
    warmup_epochs: float = bounded(1.0, ge=0.0, le=10_000.0)
    label_smoothing: float = bounded(0.1, ge=0.0, lt=1.0)
    # loss = intent cross-entropy + ctc_weight x CTC on the transcript
    ctc_weight: float = bounded(1.0, ge=0.0, le=100.0)
    reader: bool = True  # fuse a text reader of the CTC head's transcripts, its weight chosen on validation
    # longer clips are cropped at random; 10: whole clips
    max_seconds: float = bounded(2.0, ge=0.1, le=MAX_CLIP_SECONDS)
    speed: float = bounded(0.1, ge=0.0, lt=0.5)  # speed perturbation: one factor per batch in 1 +- speed
    time_shift_ms: float = bounded(100.0, ge=0.0, le=10_000.0)  # move each clip up to this much earlier or later
    freq_mask: int = bounded(8, ge=0, le=512)  # SpecAugment: widest frequency mask, in bins
    time_mask: int = bounded(20, ge=0, le=10_000)  # SpecAugment: widest time mask, in frames
    masks: int = bounded(2, ge=0, le=100)  # SpecAugment: masks of each kind per clip
    noise_prob: float = bounded(0.0, ge=0.0, le=1.0)  # chance of mixing background noise into a clip
    noise_snr_db: float = bounded(10.0, ge=-50.0, le=100.0)  # centre of the per-clip SNR, drawn within +- 5 dB
    noise_kinds: tuple[str, ...] = ("babble",)  # each mixed clip draws one: babble (another clip), white, pink, brown
    val_split: str = choice("italic", "italic", "speaker")
    val_fraction: float = bounded(0.15, gt=0.0, lt=1.0)
    # noise mixed into every validation clip at this SNR +- 5 dB
    val_noise_snr_db: float | None = bounded(None, ge=-50.0, le=100.0)
    select_by: str = choice("macro_f1", "macro_f1", "accuracy", "loss")
    patience: int = bounded(15, ge=0, le=10_000)  # epochs without improvement before stopping; 0 = never stop early
    deterministic: bool = True
    # the forward pass's arithmetic: bf16 autocast (float32 weights, losses and scores) or float32;
    # auto: bf16 on CUDA devices with bf16, float32 on CPUs
    precision: str = choice("auto", *PRECISIONS)
    compile: bool = False
    # pad each training batch's width up to a multiple of this many frames (samples for waveforms); the
    # models ignore padding, so only the number of distinct shapes changes; 0 = 32 on a GPU, 1 on CPU
    width_multiple: int = bounded(0, ge=0, le=4096)
    device: str = choice("auto", "auto", "cpu", "cuda")
    threads: int = bounded(0, ge=0, le=1024)  # CPU threads for torch; 0 = every core
    nproc: int = bounded(1, ge=1, le=1024)  # data-parallel processes on this node (torchrun, DDP)

    def check(self, params_file: str = "params.yaml") -> None:
        unknown = [kind for kind in self.noise_kinds if kind not in TRAINING_NOISES]
        if unknown or not self.noise_kinds:
            raise ParamsError(
                f"{params_file}: train.noise_kinds is {list(self.noise_kinds)}; list one or more of {', '.join(TRAINING_NOISES)}"
            )


@dataclass(frozen=True)
class Recipe:
    """One config's own recipe: the `model.*` and `train.*` keys on which it departs from the shared
    sections, written flat under the config's name (`hard_noisy: {frontend: log+pcen, noise_prob: 0.5}`;
    the two sections share no key name). Only the keys it changes are written, so a shared change still
    reaches every config that does not set that key, and DVC re-runs a config only when its own recipe
    or a shared key moves. Short names also keep `dvc exp show`'s columns (`hard_noisy.noise_prob`) and
    `dvc exp run -S hard_noisy.noise_prob=0.3` short."""

    model: dict[str, Any] = field(default_factory=dict)
    train: dict[str, Any] = field(default_factory=dict)

    def keys(self) -> dict[str, Any]:
        """Every key the recipe sets, by its name in params.yaml."""
        return self.model | self.train


# its test is noisy (2-8 dB): validation ranked noise in training and validation, with the log-mels and
# PCEN's view of them stacked, first there (docs/experiments.md); on the clean configs the log ties
HARD_NOISY_RECIPE = Recipe(
    model={"frontend": "log+pcen"},
    train={"noise_prob": 0.5, "noise_snr_db": 5.0, "noise_kinds": TRAINING_NOISES, "val_noise_snr_db": 5.0},
)


@dataclass(frozen=True)
class Params:
    """The whole params.yaml; each stage reads only its own section, and train and evaluate read a
    config's effective params (`for_config`): the shared sections with that config's recipe applied."""

    seed: int = bounded(20231124, ge=0, le=MAX_SEED)
    data: DataParams = field(default_factory=DataParams)
    features: FeatureParams = field(default_factory=FeatureParams)
    model: ModelParams = field(default_factory=ModelParams)
    train: TrainParams = field(default_factory=TrainParams)
    # each config's own recipe, under its name (`{}`: the shared recipe)
    massive: Recipe = field(default_factory=Recipe)
    hard_speaker: Recipe = field(default_factory=Recipe)
    hard_noisy: Recipe = field(default_factory=lambda: HARD_NOISY_RECIPE)

    def recipe(self, config: str) -> Recipe:
        if config not in CONFIGS:
            raise ParamsError(f"no recipe for config {shown(config)}; configs: {', '.join(CONFIGS)}")
        return getattr(self, config)

    def for_config(self, config: str) -> Params:
        """What `config` trains with: the shared model/train sections, then its recipe's keys on top."""
        recipe = self.recipe(config)
        return dataclasses.replace(
            self,
            model=dataclasses.replace(self.model, **recipe.model),
            train=dataclasses.replace(self.train, **recipe.train),
        )

    def check(self, params_file: str = "params.yaml") -> None:
        self.check_sections(params_file)
        for config in CONFIGS:  # every recipe, so that check-params fails at once on any config's mistake
            if self.recipe(config).keys():
                effective = self.for_config(config)
                where = f"{params_file} ({config}'s recipe)"
                effective.model.check(where)
                effective.train.check(where)
                effective.check_sections(where)

    def check_sections(self, params_file: str) -> None:
        """The rules that tie one section to another."""
        reads_waveforms = self.model.arch in WAVEFORM_ARCHS
        wants = "waveform" if reads_waveforms else "logmel, stft or mfcc"
        if reads_waveforms != (self.features.kind == "waveform"):
            raise ParamsError(
                f"{params_file}: model.arch {self.model.arch} cannot read features.kind {self.features.kind}; "
                f"{self.model.arch} needs features.kind {wants}"
            )
        if self.model.frontend != "log" and self.features.kind not in ("logmel", "stft"):
            raise ParamsError(
                f"{params_file}: model.frontend {self.model.frontend} needs band energies, which features.kind "
                f"{self.features.kind} "
                "does not hold; use features.kind logmel or stft, or model.frontend log"
            )
        mixes = {
            "noise_prob": (self.train.noise_prob > 0, "mixes noise into"),
            "val_noise_snr_db": (self.train.val_noise_snr_db is not None, "mixes noise into"),
        }
        mixing = next((key for key, (on, _) in mixes.items() if on), None)
        if mixing and self.features.kind == "mfcc":
            raise ParamsError(
                f"{params_file}: train.{mixing} {mixes[mixing][1]} power spectra, which mfcc features no longer "
                "hold; use features.kind logmel, stft or waveform, or turn it off"
            )


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader that also reads `1e-06` (YAML 1.2 float, written by `dvc exp run -S`) as a float, and
    refuses a key given twice in one mapping (plain YAML lets the last one win, silently), a key that
    is not a plain value, and aliases (`*name`): a 1 kB file of nested aliases expands to gigabytes,
    and params files never need them (DVC writes none)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"alias *{shown(event.anchor)} is not allowed (write the value out)", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain word, not a list or a mapping", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {shown(key)} (first on line {seen[key] + 1})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


def load_params(path: Path = DEFAULT_PARAMS) -> Params:
    """Parse params.yaml strictly: a typo in `dvc exp run -S` must fail here, not train silently."""
    path = Path(path)
    text = read_params_text(path)
    try:
        raw = yaml.load(text, Loader=_Yaml12Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ParamsError(f"{path}:{where} {shown(problem, quote=False)}; fix the YAML syntax") from None
    except ValueError:  # an integer of over 4300 digits, which Python refuses to convert
        raise ParamsError(f"{path}: a number of over 4300 digits; fix the value") from None
    except RecursionError:
        raise ParamsError(f"{path}: nested too deeply to be a params file; fix the YAML") from None
    return parse_params(raw if raw is not None else {}, source=str(path), complete=True)


def read_params_text(path: Path) -> str:
    """The file's text: a regular file (a FIFO would hang the read), of a params file's size, in UTF-8."""
    try:
        data = read_capped(path, MAX_PARAMS_BYTES)
    except FileNotFoundError:
        raise ParamsError(f"{path}: not found; run from the project root or pass --params PATH") from None
    except FileRefused as refused:
        raise ParamsError(f"{path}: {refused.detail}; pass --params a params.yaml file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParamsError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def shown(value: Any, limit: int = 60, quote: bool = True) -> str:
    """A value as an error message shows it: its repr, cut to `limit` characters, so that a hostile
    value (a megabyte string, a deep list) still makes a one-line error of a few hundred bytes."""
    text = _bounded_repr(value, limit) if quote else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded_repr(value: Any, limit: int) -> str:
    """repr of at most about `limit` characters, without building the whole repr of a huge value."""
    if isinstance(value, (list, tuple, dict)):
        items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
        parts: list[str] = []
        for key, item in items:
            if sum(len(part) + 2 for part in parts) > limit:
                parts.append("...")
                break
            text = _bounded_repr(item, limit)
            parts.append(text if key is None else f"{_bounded_repr(key, limit)}: {text}")
        return ("{%s}" if isinstance(value, dict) else "[%s]") % ", ".join(parts)
    if isinstance(value, str) and len(value) > limit:
        return repr(value[: limit + 1])
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**limit:
        return f"an integer of {len(str(abs(value))) if abs(value) < 10**4000 else 'over 4000'} digits"
    return repr(value)


def parse_params(raw: Any, source: str = "params.yaml", complete: bool = False) -> Params:
    """Build validated Params from already-parsed YAML (a dict). With `complete` (every params file)
    each key must be there: a key left out would silently take its default, which DVC never sees,
    and a later change of that default would change the run while `dvc.lock` says it is the same."""
    return _build(Params, raw, prefix="", source=source, complete=complete)


def parse_section(cls: type, raw: Any, prefix: str, source: str) -> Any:
    """One section (e.g. ModelParams) from a dict that need not list every key, checked like params.yaml:
    what a checkpoint or a shard's metadata stored is trusted no more than a params file."""
    if isinstance(raw, dict):
        raw = {key: list(value) if isinstance(value, tuple) else value for key, value in raw.items()}
    return _build(cls, raw, prefix=prefix, source=source)


def _build(cls: type, raw: Any, prefix: str, source: str, complete: bool = False) -> Any:
    where = prefix.rstrip(".") or "the top level"
    if not isinstance(raw, dict):
        raise ParamsError(f"{source}: {where} must be a mapping of keys, got {shown(raw)}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    for key in raw:
        if key not in fields:
            raise _unknown_key(source, prefix, key, list(fields), f"allowed in {where}: {', '.join(fields)}")
    values = {}
    for name, spec in fields.items():
        if name in raw:
            values[name] = _coerce(raw[name], hints[name], spec, f"{prefix}{name}", source, complete)
    missing = [name for name in fields if name not in raw]
    if complete and missing:
        name, default = missing[0], fields[missing[0]].default
        more = (
            f" ({len(missing) - 1} more missing: {', '.join(prefix + m for m in missing[1:])})" if missing[1:] else ""
        )
        if name in CONFIGS:
            fix = "add it ({} for the shared recipe, or the model and train keys it changes)"
        elif default is dataclasses.MISSING:  # a whole section
            fix = "copy that section from the project's params.yaml"
        else:
            fix = f"add it (the default is {_yaml_value(default)}); params files spell out every key"
        raise ParamsError(f"{source}: missing key {prefix}{name}; {fix}{more}")
    obj = cls(**values)
    if hasattr(obj, "check"):
        obj.check(source)
    return obj


def _unknown_key(source: str, prefix: str, key: Any, known: list[str], allowed: str) -> ParamsError:
    """`unknown key <prefix><key> (did you mean <closest>?); <allowed>`: one line for a misspelt key."""
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f" (did you mean {prefix}{close[0]}?)" if close else ""
    return ParamsError(f"{source}: unknown key {prefix}{shown(key, quote=False)}{hint}; {allowed}")


def _yaml_value(value: Any) -> str:
    return (
        yaml.safe_dump(list(value) if isinstance(value, tuple) else value, default_flow_style=True)
        .strip()
        .removesuffix("\n...")
        .strip()
    )


def _coerce(value: Any, hint: Any, spec: dataclasses.Field, key: str, source: str, complete: bool = False) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = [h for h in typing.get_args(hint) if h is not type(None)]
        if value is None:
            return None
        hint = members[0]
        origin = typing.get_origin(hint)
    if hint is Recipe:
        return _recipe(value, key, source)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value if value is not None else {}, prefix=f"{key}.", source=source, complete=complete)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ParamsError(f"{source}: {key} must be a list of {item.__name__}, got {shown(value)}")
        return tuple(_scalar(v, item, f"{key}[{i}]", source) for i, v in enumerate(value))
    result = _scalar(value, hint, key, source)
    _check_bounds(result, spec.metadata, key, source)
    return result


def _recipe(value: Any, key: str, source: str) -> Recipe:
    """A config's recipe: some model and train keys, each checked as its section checks it; the checks
    that need a whole section run on the config's effective params (Params.check)."""
    if value is None:
        return Recipe()
    if not isinstance(value, dict):
        raise ParamsError(f"{source}: {key} must be a mapping of model and train keys, got {shown(value)}")
    sections = {"model": ModelParams, "train": TrainParams}
    fields = {f.name: (name, f) for name, cls in sections.items() for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(ModelParams) | typing.get_type_hints(TrainParams)
    parts: dict[str, dict[str, Any]] = {"model": {}, "train": {}}
    for name, item in value.items():
        if name in sections:
            raise ParamsError(
                f"{source}: {key}.{name}: a recipe names its keys without their section; write "
                f"{key}: {{lr: 1.0e-3, frontend: pcen}}, not {key}: {{{name}: {{...}}}}"
            )
        if name not in fields:
            raise _unknown_key(source, f"{key}.", name, list(fields), "a recipe holds model and train keys")
        section, spec = fields[name]
        parts[section][name] = _coerce(item, hints[name], spec, f"{key}.{name}", source)
    return Recipe(**parts)


def _scalar(value: Any, hint: type, key: str, source: str) -> Any:
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise ParamsError(f"{source}: {key} must be true or false, got {shown(value)}")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ParamsError(f"{source}: {key} must be an integer, got {shown(value)}")
    if hint is float:
        number = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                number = float(value)
        if number is None:
            raise ParamsError(f"{source}: {key} must be a number, got {shown(value)}")
        if not math.isfinite(number):  # NaN passes every bound check, and trains on silently
            raise ParamsError(f"{source}: {key} must be a finite number, got {shown(value)}")
        return number
    if hint is str:
        if isinstance(value, str) and value:
            return value
        raise ParamsError(f"{source}: {key} must be a non-empty string, got {shown(value)}")
    raise TypeError(f"unsupported params type {hint!r} for {key}")  # a bug in this module


def _check_bounds(value: Any, meta: typing.Mapping[str, Any], key: str, source: str) -> None:
    allowed = meta.get("choices")
    if allowed and value not in allowed:
        raise ParamsError(f"{source}: {key} must be one of {', '.join(map(str, allowed))}; got {shown(value)}")
    checks = (
        ("ge", ">=", value.__ge__),
        ("gt", ">", value.__gt__),
        ("le", "<=", value.__le__),
        ("lt", "<", value.__lt__),
    )
    for name, sign, ok in checks:
        limit = meta.get(name)
        if limit is not None and not ok(limit):
            raise ParamsError(f"{source}: {key} must be {sign} {limit}, got {shown(value)}")


def recipe_text(recipe: dict[str, Any] | None) -> str:
    """`shared recipe`, or a config's own keys as `key=value`, as summaries and tables print them."""
    if not recipe:
        return "shared recipe"
    shown_items = (
        f"{key}=[{', '.join(map(str, v))}]" if isinstance(v, (list, tuple)) else f"{key}={v}"
        for key, v in recipe.items()
    )
    return "recipe " + ", ".join(shown_items)


def resolve_workers(workers: int) -> int:
    """`0` means every core this process may use."""
    if workers:
        return workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        return os.cpu_count() or 1


def allowed_text(key: str) -> str:
    """What a key accepts, as the README's params table states it (a test keeps the two equal)."""
    section, _, name = key.rpartition(".")
    cls = {"": Params, "data": DataParams, "features": FeatureParams, "model": ModelParams, "train": TrainParams}[
        section
    ]
    spec = next(f for f in dataclasses.fields(cls) if f.name == name)
    hint = typing.get_type_hints(cls)[name]
    nullable = type(None) in typing.get_args(hint)
    meta = spec.metadata
    if key == "model.channels":
        text = f"1–{MAX_BLOCKS} widths in [1, {MAX_CHANNELS}]"
    elif typing.get_origin(hint) is tuple:
        text = "a list of the values named"
    elif meta.get("choices"):
        text = " · ".join(str(c) for c in meta["choices"])
    elif hint is bool:
        text = "true · false"
    elif any(meta.get(k) is not None for k in ("ge", "gt", "le", "lt")):
        low = f"[{_number(meta['ge'])}" if meta.get("ge") is not None else f"({_number(meta.get('gt'))}"
        high = f"{_number(meta['le'])}]" if meta.get("le") is not None else f"{_number(meta.get('lt'))})"
        text = f"{low}, {high}"
    else:
        text = "text"
    return text + (" or null" if nullable else "")


def _number(value: float | None) -> str:
    if value is None:
        return "∞"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
