"""Synthetic speakers: an espeak-ng voice each (pitch, vocal-tract length, voice quality, rate), or a
Kokoro voice for the share of speakers in the second family, carrying ITALIC-like metadata (age,
gender, region, ...)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.espeak import Voice
from pipeline.synth.kokoro import KokoroVoice

SPEAKERS = 70  # as many as ITALIC has
REGIONS = (
    "abruzzo", "basilicata", "calabria", "campania", "emilia-romagna", "friuli-venezia giulia", "lazio",
    "liguria", "lombardia", "marche", "molise", "piemonte", "puglia", "sardegna", "sicilia", "toscana",
    "trentino-alto adige", "umbria", "valle d'aosta", "veneto",
)  # fmt: skip
EDUCATION = ("scuola media", "diploma", "laurea triennale", "master", "dottorato")
DEVICES = ("phone", "laptop")
# Per gender: base pitch range (Hz) and formant scale range (% of the Italian defaults). Women's
# shorter vocal tracts raise every formant; the spread within a gender gives distinct timbres.
PITCH_BASE = {"male": (70, 125), "female": (150, 215)}
FORMANT_SCALE = {"male": (88, 104), "female": (104, 120)}


@dataclass(frozen=True)
class Speaker:
    speaker_id: int
    voice: Voice
    age: int
    gender: str
    region: str
    nationality: str
    lisp: str
    education: str
    device: str  # the device this speaker usually records with
    kokoro: KokoroVoice | None = None  # set: this speaker is a Kokoro voice, and `voice` is unused

    @property
    def family(self) -> str:
        """Which synthesizer speaks for this speaker: `espeak-ng` or `kokoro`."""
        return "kokoro" if self.kokoro else "espeak-ng"

    def metadata(self) -> dict[str, object]:
        """ITALIC's speaker columns."""
        return {
            "age": self.age, "gender": self.gender, "region": self.region, "nationality": self.nationality,
            "lisp": self.lisp, "education": self.education, "speaker_id": self.speaker_id,
        }  # fmt: skip


def make_speakers(rng: np.random.Generator, count: int = SPEAKERS) -> list[Speaker]:
    """`count` speakers, alternating female and male, every voice drawn independently; about one in
    five uses a Klatt synthesizer, whose buzzier source sounds unlike espeak-ng's own."""
    ids = rng.choice(np.arange(1, 3 * count), size=count, replace=False)
    speakers = []
    for n in range(count):
        gender = "female" if n % 2 else "male"
        base = int(rng.integers(*PITCH_BASE[gender]))
        low, high = FORMANT_SCALE[gender]
        voice = Voice(
            gender=gender,
            pitch_hz=(base, base + int(rng.integers(30, 110))),
            formants=tuple(int(rng.integers(low, high + 1)) for _ in range(3)),  # type: ignore[arg-type]
            roughness=int(rng.integers(0, 4)),
            breath=int(rng.choice([0, 0, 8, 16, 24])),
            klatt=int(rng.choice([1, 2, 3, 4, 6])) if rng.random() < 0.2 else 0,
            rate=int(rng.integers(135, 200)),
            word_gap=int(rng.choice([0, 0, 0, 1, 2])),
        )
        speakers.append(
            Speaker(
                speaker_id=int(ids[n]),
                voice=voice,
                age=int(rng.integers(18, 76)),
                gender=gender,
                region=str(rng.choice(REGIONS)),
                nationality="italiana" if rng.random() < 0.93 else "altra",
                lisp="nessuno" if rng.random() < 0.9 else "lieve",
                education=str(rng.choice(EDUCATION)),
                device=str(rng.choice(DEVICES)),
            )
        )
    return speakers
