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

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".mp3", ".aiff", ".aif", ".au")


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
    _check_wav_length(data)
    try:
        with sf.SoundFile(io.BytesIO(data)) as handle:
            declared = handle.frames
            samples = handle.read(dtype="float32", always_2d=True)
            rate = handle.samplerate
    except (sf.LibsndfileError, RuntimeError, ValueError, TypeError) as exc:
        raise AudioProblem("corrupt", f"cannot decode ({_first_line(exc)})") from None
    if len(samples) == 0:
        raise AudioProblem("empty", "no audio samples")
    if 0 < declared < 2**62 and len(samples) < declared:
        raise AudioProblem("corrupt", f"truncated: header declares {declared} frames, file holds {len(samples)}")
    if not np.isfinite(samples).all():
        raise AudioProblem("non_finite", "NaN or Inf samples")
    return samples, rate


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
