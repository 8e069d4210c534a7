"""Decode audio bytes with soundfile and say precisely why a recording is unusable.

Decoding goes through soundfile (libsndfile: WAV, FLAC, Ogg/Vorbis, Ogg/Opus, MP3) rather than
`datasets`' Audio decoding, which needs torchcodec and FFmpeg.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

import numpy as np
import soundfile as sf

from pipeline.files import FileRefused, read_capped

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".mp3", ".aiff", ".aif", ".au")
# What a recording may be, checked before decoding so that a small hostile file cannot cost more
# than a few hundred MB: ITALIC's clips are 16 kHz mono, a few seconds, well under a megabyte.
MAX_AUDIO_BYTES = 200_000_000  # a 10-minute 48 kHz stereo 24-bit WAV is 173 MB
MAX_AUDIO_SECONDS = 600.0
MAX_CHANNELS = 8
MIN_RATE, MAX_RATE = 8000, 192000  # Hz; outside is a skip (`unsupported_rate`), never a resampler's gigabyte


@dataclass(frozen=True)
class AudioInfo:
    sample_rate: int
    channels: int
    num_samples: int

    @property
    def duration_s(self) -> float:
        return self.num_samples / self.sample_rate


class AudioProblem(Exception):
    """A recording that cannot be used; `reason` is a short key counted in manifests."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self):  # crosses process boundaries in featurize's worker pool
        return (AudioProblem, (self.reason, self.detail))


def decode(data: bytes) -> tuple[np.ndarray, int]:
    """Samples as float32 [frames, channels] and the file's own sample rate; raises AudioProblem."""
    if not data:
        raise AudioProblem("empty", "zero bytes")
    if len(data) > MAX_AUDIO_BYTES:
        raise AudioProblem("too_large", f"{len(data) / 1e6:.1f} MB, over the {MAX_AUDIO_BYTES / 1e6:.0f} MB cap")
    _check_wav_length(data)
    try:
        with sf.SoundFile(io.BytesIO(data)) as handle:
            declared, rate, channels = handle.frames, handle.samplerate, handle.channels
            _check_header(rate, channels, declared)
            # never more than the cap, whatever the header said (Ogg and MP3 headers may not know)
            cap = int(MAX_AUDIO_SECONDS * rate) + 1
            samples = handle.read(min(declared, cap) if 0 < declared < 2**62 else cap, dtype="float32", always_2d=True)
            if len(samples) == cap:
                raise AudioProblem("too_long", f"over {MAX_AUDIO_SECONDS:g} s")
    except (sf.LibsndfileError, RuntimeError, ValueError, TypeError, MemoryError) as exc:
        raise AudioProblem("corrupt", f"cannot decode ({_first_line(exc)})") from None
    if len(samples) == 0:
        raise AudioProblem("empty", "no audio samples")
    if 0 < declared < 2**62 and len(samples) < declared:
        raise AudioProblem("corrupt", f"truncated: header declares {declared} frames, file holds {len(samples)}")
    if not np.isfinite(samples).all():
        raise AudioProblem("non_finite", "NaN or Inf samples")
    return samples, rate


def _check_header(rate: int, channels: int, frames: int) -> None:
    """What the header claims, judged before a single sample is decoded."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioProblem("unsupported_rate", f"{rate} Hz, outside {MIN_RATE}-{MAX_RATE} Hz")
    if not 1 <= channels <= MAX_CHANNELS:
        raise AudioProblem("too_many_channels", f"{channels} channels, over {MAX_CHANNELS}")
    if 0 < frames < 2**62 and frames > MAX_AUDIO_SECONDS * rate:
        raise AudioProblem("too_long", f"header declares {frames / rate:.0f} s, over {MAX_AUDIO_SECONDS:g} s")


def read_audio_file(path) -> bytes:
    """A recording's bytes: a regular file of at most MAX_AUDIO_BYTES, or AudioProblem (never a hang
    on a FIFO, never a read of /dev/zero)."""
    try:
        return read_capped(path, MAX_AUDIO_BYTES)
    except FileRefused as refused:
        raise AudioProblem(refused.reason, refused.detail) from None


def probe(data: bytes) -> AudioInfo:
    """Decode fully (a header alone does not prove the audio is readable) and describe it."""
    samples, rate = decode(data)
    return AudioInfo(sample_rate=int(rate), channels=int(samples.shape[1]), num_samples=int(samples.shape[0]))


def _check_wav_length(data: bytes) -> None:
    """libsndfile silently shortens a WAV whose data chunk was cut off; a cut file is corrupt, not short."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return
    offset = 12
    while offset + 8 <= len(data):
        chunk, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        if chunk == b"data":
            present = len(data) - offset - 8
            if 0 < size < 0xFFFFFFFF and present < size:
                raise AudioProblem("corrupt", f"truncated: WAV data chunk declares {size} bytes, file holds {present}")
            return
        offset += 8 + size + (size & 1)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    text = re.sub(r"<_io\.BytesIO object at 0x[0-9a-f]+>", "the audio bytes", text.splitlines()[0])
    return text
