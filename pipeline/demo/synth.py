"""Render one demo recording: espeak-ng speaks, sox shapes the device and distance, numpy mixes noise.

Everything random about a recording comes from its own seed, so recordings can be rendered in any
order or in parallel and still come out the same.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass

import numpy as np
import soundfile as sf

SAMPLE_RATE = 16000
NOISE_KINDS = ("white", "pink", "brown", "babble", "hum")

# sox effects per device/field: a phone is band-limited like a call, a laptop mic loses lows and highs.
DEVICE_EFFECTS = {"phone": ["sinc", "300-3400"], "laptop": ["sinc", "120-7000"]}
FIELD_EFFECTS = {"close": [], "far": ["reverb", "45", "50", "60", "gain", "-6"]}


@dataclass(frozen=True)
class RenderSpec:
    text: str
    voice: str
    pitch: int
    speed: int
    device: str
    field: str
    noise: str | None  # one of NOISE_KINDS, None for a silent environment
    snr_db: float
    babble_text: str  # what the background talker says when noise == "babble"
    seed: int


def require_tools() -> None:
    """Regenerating the corpus needs espeak-ng and sox; say so plainly when they are missing."""
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"demo generator needs {' and '.join(missing)} on PATH; install them "
            "(Debian/Ubuntu: apt-get install espeak-ng sox)"
        )


def speak(text: str, voice: str, pitch: int, speed: int, effects: list[str]) -> np.ndarray:
    """espeak-ng to WAV, then sox to 16 kHz mono with `effects`; returns float32 samples."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "--stdout", text],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    out = subprocess.run(
        ["sox", "-R", "-t", "wav", "-", "-t", "wav", "-e", "float", "-b", "32", "-",
         "rate", str(SAMPLE_RATE), "channels", "1", *effects],
        input=wav, check=True, capture_output=True,
    ).stdout  # fmt: skip
    samples, rate = sf.read(io.BytesIO(out), dtype="float32")
    assert rate == SAMPLE_RATE
    return samples


def make_noise(kind: str, n: int, rng: np.random.Generator, spec: RenderSpec) -> np.ndarray:
    """A noise signal of `n` samples; babble is another synthetic talker, hum is mains plus pink."""
    if kind == "babble":
        voice = "it+f2" if spec.voice.startswith("it+m") else "it+m4"
        talker = speak(spec.babble_text, voice, int(rng.integers(30, 70)), 170, ["reverb", "60"])
        reps = int(np.ceil(n / max(len(talker), 1)))
        return np.tile(talker, reps)[:n] + 0.05 * _colored(n, rng, 1.0)
    if kind == "hum":
        t = np.arange(n) / SAMPLE_RATE
        hum = sum(np.sin(2 * np.pi * 50 * h * t + rng.uniform(0, 6.28)) / h for h in (1, 2, 3, 5))
        return hum + 0.5 * _colored(n, rng, 1.0)
    exponent = {"white": 0.0, "pink": 1.0, "brown": 2.0}[kind]
    return _colored(n, rng, exponent)


def _colored(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Gaussian noise with a 1/f**exponent power spectrum."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    freqs[0] = freqs[1] if n > 1 else 1.0
    noise = np.fft.irfft(spectrum / freqs ** (exponent / 2), n)
    return noise / (np.std(noise) + 1e-12)


def render(spec: RenderSpec) -> np.ndarray:
    """The finished recording: speech with leading/trailing room tone, device, distance and noise."""
    rng = np.random.default_rng(spec.seed)
    effects = DEVICE_EFFECTS[spec.device] + FIELD_EFFECTS[spec.field]
    speech = speak(spec.text, spec.voice, spec.pitch, spec.speed, effects)
    lead, tail = (int(rng.uniform(0.05, 0.25) * SAMPLE_RATE) for _ in range(2))
    signal = np.concatenate([np.zeros(lead), speech, np.zeros(tail)])
    signal += 1e-4 * rng.standard_normal(len(signal))  # room tone: real recordings are never digital zero
    if spec.noise is not None:
        noise = make_noise(spec.noise, len(signal), rng, spec)
        speech_power = np.mean(speech**2) + 1e-12
        noise_power = np.mean(noise**2) + 1e-12
        signal += noise * np.sqrt(speech_power / (noise_power * 10 ** (spec.snr_db / 10)))
    peak = np.max(np.abs(signal))
    gain = rng.uniform(0.3, 0.9) / peak if peak > 0 else 1.0
    return (signal * gain).astype(np.float32)


def encode_opus(samples: np.ndarray) -> bytes:
    """Ogg/Opus at soundfile's default quality: about 4 KB per second of speech."""
    buffer = io.BytesIO()
    sf.write(buffer, samples, SAMPLE_RATE, format="OGG", subtype="OPUS")
    return buffer.getvalue()
