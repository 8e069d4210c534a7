"""Render one planned recording: espeak-ng or Kokoro speaks, torchaudio resamples and band-limits it like the
device, numpy adds the room (reverb for far-field) and the noise.

Everything random about a recording comes from its own seed and the speech engine is reloaded per
utterance, so a recording's samples do not depend on the worker or the order that rendered it.
"""

from __future__ import annotations

import io
from functools import cache

import numpy as np
import soundfile as sf
import torch
import torchaudio.functional as AF
from torchaudio.transforms import Resample

from pipeline.synth import kokoro
from pipeline.synth.espeak import Voice, engine
from pipeline.synth.plan import PlannedRecording
from pipeline.synth.speakers import Speaker

SAMPLE_RATE = 16000  # ITALIC's rate
# Pass bands: a phone call's 300-3400 Hz; a laptop microphone loses the lowest and highest bands.
DEVICE_BANDS = {"phone": (300.0, 3400.0), "laptop": (120.0, 7000.0)}
BABBLE_VOICE = Voice("female", (170, 240), (110, 108, 106), 0, 0, 0, 175, 0)


@cache
def _resampler(rate: int) -> Resample:
    return Resample(rate, SAMPLE_RATE)  # builds its sinc kernel once per process


def _to_corpus_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    with torch.no_grad():
        return _resampler(rate)(torch.from_numpy(samples)).numpy()


def speak(text: str, voice: Voice) -> np.ndarray:
    """float32 speech at SAMPLE_RATE."""
    tts = engine()
    return _to_corpus_rate(tts.speak(text, voice).astype(np.float32) / 32768.0, tts.sample_rate)


def speak_as(text: str, speaker: Speaker) -> np.ndarray:
    """`text` in `speaker`'s voice, float32 at SAMPLE_RATE: Kokoro reads espeak-ng's phonemes for a
    Kokoro speaker, espeak-ng speaks for the others."""
    if speaker.kokoro is None:
        return speak(text, speaker.voice)
    return _to_corpus_rate(kokoro.kokoro().speak(engine().phonemes(text), speaker.kokoro), kokoro.SAMPLE_RATE)


def band_limit(signal: np.ndarray, device: str) -> np.ndarray:
    """Two biquad sections at each edge (-24 dB/octave), as a small microphone and codec would."""
    low, high = DEVICE_BANDS[device]
    wave = torch.from_numpy(signal.astype(np.float32))
    for _ in range(2):
        wave = AF.highpass_biquad(wave, SAMPLE_RATE, low)
        wave = AF.lowpass_biquad(wave, SAMPLE_RATE, high)
    return wave.numpy()


def room_impulse(rng: np.random.Generator) -> np.ndarray:
    """A far-field room: the direct path, then exponentially decaying diffuse reflections
    (RT60 0.3-0.8 s, direct-to-reverberant ratio 0-8 dB)."""
    rt60 = rng.uniform(0.3, 0.8)
    n = int(rt60 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)  # -60 dB at rt60
    tail[: int(0.003 * SAMPLE_RATE)] = 0.0  # first reflections arrive after the direct sound
    drr_db = rng.uniform(0.0, 8.0)
    tail *= np.sqrt(1.0 / (np.sum(tail**2) * 10 ** (drr_db / 10)))
    tail[0] = 1.0
    return tail


def convolve(signal: np.ndarray, impulse: np.ndarray) -> np.ndarray:
    size = len(signal) + len(impulse) - 1
    n_fft = 1 << (size - 1).bit_length()
    out = np.fft.irfft(np.fft.rfft(signal, n_fft) * np.fft.rfft(impulse, n_fft), n_fft)
    return out[: len(signal)]


def colored_noise(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Gaussian noise with a 1/f**exponent power spectrum, unit variance."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    freqs[0] = freqs[1] if n > 1 else 1.0
    noise = np.fft.irfft(spectrum / freqs ** (exponent / 2), n)
    return noise / (np.std(noise) + 1e-12)


def make_noise(kind: str, n: int, rng: np.random.Generator, babble_text: str) -> np.ndarray:
    """`n` samples of background: another talker (babble), mains hum, or white/pink/brown noise."""
    if kind == "babble":
        talker = convolve(speak(babble_text, BABBLE_VOICE), room_impulse(rng))
        start = int(rng.integers(0, max(1, len(talker) // 3)))
        talker = np.roll(talker, -start)
        return np.tile(talker, int(np.ceil(n / max(len(talker), 1))))[:n] + 0.05 * colored_noise(n, rng, 1.0)
    if kind == "hum":
        t = np.arange(n) / SAMPLE_RATE
        hum = sum(np.sin(2 * np.pi * 50 * h * t + rng.uniform(0, 2 * np.pi)) / h for h in (1, 2, 3, 5))
        return hum + 0.5 * colored_noise(n, rng, 1.0)
    return colored_noise(n, rng, {"white": 0.0, "pink": 1.0, "brown": 2.0}[kind])


def render(recording: PlannedRecording, speech: np.ndarray | None = None) -> np.ndarray:
    """The finished recording as float32 at SAMPLE_RATE: speech with room tone before and after,
    the device's band, the room, the noise at the planned SNR, and a level between -11 and -1 dBFS.
    `speech` (float32 at SAMPLE_RATE) replaces the planned speaker's voice, everything else kept: how
    a benchmark puts another voice through the very same channel."""
    rng = np.random.default_rng(recording.seed)
    speech = speak_as(recording.utt, recording.speaker) if speech is None else speech
    lead, tail = (int(rng.uniform(0.1, 0.4) * SAMPLE_RATE) for _ in range(2))
    speech = np.concatenate([np.zeros(lead, np.float32), speech, np.zeros(tail, np.float32)])
    if recording.field == "far":
        speech = convolve(speech, room_impulse(rng))
    signal = band_limit(speech, recording.device).astype(np.float64)
    speech_power = np.mean(signal**2) * len(signal) / max(len(signal) - lead - tail, 1) + 1e-12
    signal += 3e-4 * rng.standard_normal(len(signal))  # room tone: real recordings are never digital zero
    if recording.noise is not None:
        noise = band_limit(make_noise(recording.noise, len(signal), rng, recording.babble_text), recording.device)
        noise_power = np.mean(noise.astype(np.float64) ** 2) + 1e-12
        signal += noise * np.sqrt(speech_power / (noise_power * 10 ** (recording.snr_db / 10)))
    peak = np.max(np.abs(signal))
    return (signal * (10 ** (rng.uniform(-11.0, -1.0) / 20) / peak)).astype(np.float32)


def encode(samples: np.ndarray, audio_format: str) -> bytes:
    """16-bit PCM in a FLAC (lossless, about half the size) or WAV container (ITALIC's own format)."""
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype(np.int16)  # the same integers in either
    buffer = io.BytesIO()
    sf.write(buffer, pcm, SAMPLE_RATE, format=audio_format, subtype="PCM_16")
    return buffer.getvalue()
