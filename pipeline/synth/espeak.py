"""Italian speech from libespeak-ng, driven through ctypes.

The library and its Italian data come from the `espeakng-loader` wheel on PyPI (Linux, macOS and
Windows builds), so synthesizing the corpus needs no system package. espeak-ng is GPL-3.0: this
project does not ship or link it, it loads the library at run time to make training data.

libespeak-ng keeps global state, so parallel synthesis uses processes, each with its own engine,
never threads.
"""

from __future__ import annotations

import _ctypes
import atexit
import ctypes
import ctypes.util
import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import UserError

# espeak_AUDIO_OUTPUT.AUDIO_OUTPUT_SYNCHRONOUS: espeak_Synth returns once the callback has every sample
_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
# espeak_TextToPhonemes' phonememode: bit 1 = IPA, bit 7 = tie multi-letter phonemes with bits 8-23
_IPA_TIED = 0x02 | 0x80 | (0x0361 << 8)
# espeak_PARAMETER
_RATE, _WORDGAP = 1, 7

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
INSTALL_HINT = "install the synth extra: pip install 'italic-cnn[synth]' (pip install -e '.[synth]' in a clone)"


class SynthError(UserError):
    """The speech engine cannot be loaded or refuses a voice; the message names the package and the fix."""


@dataclass(frozen=True)
class Voice:
    """One synthetic speaker: an espeak-ng voice file (pitch, formants, voice quality) plus rate and pauses.

    Scaling the formants imitates a longer or shorter vocal tract, so two voices differ in timbre, not
    only in pitch and speed.
    """

    gender: str  # male | female
    pitch_hz: tuple[int, int]  # base and top of the intonation range
    formants: tuple[int, int, int]  # formants 1-3 as % of espeak-ng's Italian defaults
    roughness: int  # 0..7: creak
    breath: int  # 0..40: aspiration noise
    klatt: int  # 0: espeak-ng's own wave generator; 1..6: a Klatt formant synthesizer variant
    rate: int  # words per minute, 80..450
    word_gap: int  # extra pause between words, in units of 10 ms

    def voice_file(self) -> str:
        lines = [
            "language it",
            f"gender {self.gender}",
            f"pitch {self.pitch_hz[0]} {self.pitch_hz[1]}",
            *(f"formant {n} {scale} 100 100" for n, scale in enumerate(self.formants, start=1)),
            f"roughness {self.roughness}",
            f"breath {self.breath} {self.breath // 2} {self.breath // 4}",
        ]
        if self.klatt:
            lines.append(f"klatt {self.klatt}")
        return "\n".join(lines) + "\n"


class Espeak:
    """Speaks Italian with libespeak-ng; `speak` returns 16-bit mono samples at `sample_rate`.

    libespeak-ng keeps state in static variables (a wave-generator phase among them) that carries
    from one utterance into the next and survives espeak_Terminate: the same text then sounds
    slightly different depending on what was said before. Each utterance therefore gets a freshly
    loaded library (dlopen after dlclose, about 5 ms), so a recording depends only on its own text
    and voice, never on which worker rendered it or in which order.
    """

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:
            raise SynthError(
                f"data.source synth needs the espeakng-loader package (libespeak-ng); {INSTALL_HINT}"
            ) from None
        self._path = espeakng_loader.get_library_path()
        try:
            self._data = espeakng_loader.get_data_path().encode()
            lib = self._open()
        except (OSError, RuntimeError) as exc:
            raise SynthError(
                f"cannot load libespeak-ng from {self._path} ({exc}); reinstall it: "
                "pip install --force-reinstall espeakng-loader"
            ) from None
        self.version = lib.espeak_Info(None).decode()
        self._close(lib)
        self._voices = Path(tempfile.mkdtemp(prefix="italic-cnn-voices-"))
        atexit.register(shutil.rmtree, self._voices, True)  # forked workers leave through os._exit: no double
        self._chunks: list[np.ndarray] = []
        self._callback = _CALLBACK(self._collect)  # kept on self: the C side holds only a raw pointer

    def _open(self) -> ctypes.CDLL:
        lib = ctypes.CDLL(self._path)
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByFile.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]  # fmt: skip
        lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, self._data, 0)
        if rate <= 0:
            raise SynthError(
                f"libespeak-ng could not read its data folder {self._data.decode()}; "
                "reinstall it: pip install --force-reinstall espeakng-loader"
            )
        self.sample_rate = int(rate)
        return lib

    @staticmethod
    def _close(lib: ctypes.CDLL) -> None:
        lib.espeak_Terminate()
        handle = lib._handle
        del lib
        (_ctypes.FreeLibrary if sys.platform == "win32" else _ctypes.dlclose)(handle)  # type: ignore[attr-defined]

    def _collect(self, wav, count: int, _events) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0 = go on synthesizing

    def _voice_path(self, voice: Voice) -> Path:
        text = voice.voice_file()
        path = self._voices / hashlib.sha1(text.encode()).hexdigest()[:16]
        if not path.exists():  # forked workers share the folder: publish whole files only
            partial = path.with_name(f"{path.name}.{os.getpid()}")
            partial.write_text(text)
            os.replace(partial, path)
        return path

    def speak(self, text: str, voice: Voice) -> np.ndarray:
        """`text` spoken by `voice`, as int16 samples; the same text and voice always give the same samples."""
        lib = self._open()
        try:
            lib.espeak_SetSynthCallback(self._callback)
            if lib.espeak_SetVoiceByFile(str(self._voice_path(voice)).encode()) != 0:
                raise SynthError(f"espeak-ng refused the voice {voice}; reinstall espeakng-loader")
            lib.espeak_SetParameter(_RATE, voice.rate, 0)
            lib.espeak_SetParameter(_WORDGAP, voice.word_gap, 0)
            encoded = text.encode("utf-8") + b"\0"
            _seed_noise(lib, encoded + voice.voice_file().encode())
            self._chunks = []
            status = lib.espeak_Synth(encoded, len(encoded), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        finally:
            self._close(lib)
        if status != 0:
            raise SynthError(f"espeak-ng failed (status {status}) on {text!r}")
        return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)

    def phonemes(self, text: str) -> str:
        """`text`'s Italian pronunciation as IPA (stress and length marks, affricates tied with U+0361),
        clauses joined by ", ": what a neural voice such as Kokoro reads."""
        lib = self._open()
        try:
            if lib.espeak_SetVoiceByName(b"it") != 0:
                raise SynthError("espeak-ng has no Italian voice; reinstall espeakng-loader")
            buffer = ctypes.create_string_buffer(text.encode("utf-8"))
            cursor = ctypes.c_void_p(ctypes.addressof(buffer))
            clauses = []
            while cursor.value:  # one call per clause; the library moves the cursor, NULL at the end
                clause = lib.espeak_TextToPhonemes(ctypes.byref(cursor), _CHARS_UTF8, _IPA_TIED)
                clauses.append(clause.decode("utf-8").strip())
        finally:
            self._close(lib)
        return ", ".join(c for c in clauses if c)


def _seed_noise(lib: ctypes.CDLL, key: bytes) -> None:
    """Seed both generators the speech's noise comes from, from the utterance itself: espeak-ng's own
    (breath; seeded from the clock at initialisation) and the C library's rand() (Klatt voices; the
    process's state, whatever ran before). The noise then never depends on when or after what it ran."""
    seed = int.from_bytes(hashlib.sha1(key).digest()[:4], "little")
    lib.espeak_ng_SetRandSeed(seed)
    if _LIBC is not None:
        _LIBC.srand(seed)


_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if sys.platform != "win32" else None
_ENGINE: list[Espeak] = []


def engine() -> Espeak:
    """This process's engine, created on first use (after a fork, each worker makes its own)."""
    if not _ENGINE:
        _ENGINE.append(Espeak())
    return _ENGINE[0]
