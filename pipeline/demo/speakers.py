"""Synthetic speakers: an espeak-ng Italian voice variant with its own pitch and speed, carrying
plausible ITALIC metadata (age, gender, region, ...)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

MALE_VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8")
FEMALE_VARIANTS = ("f1", "f2", "f3", "f4", "f5")
REGIONS = (
    "abruzzo", "basilicata", "calabria", "campania", "emilia-romagna", "friuli-venezia giulia", "lazio",
    "liguria", "lombardia", "marche", "molise", "piemonte", "puglia", "sardegna", "sicilia", "toscana",
    "trentino-alto adige", "umbria", "valle d'aosta", "veneto",
)  # fmt: skip
EDUCATION = ("scuola media", "diploma", "laurea triennale", "master", "dottorato")
DEVICES = ("phone", "laptop")


@dataclass(frozen=True)
class Speaker:
    speaker_id: int
    voice: str  # espeak-ng voice, e.g. "it+m3"
    pitch: int  # espeak-ng -p, 0..99
    speed: int  # espeak-ng -s, words per minute
    age: int
    gender: str
    region: str
    nationality: str
    lisp: str
    education: str
    device: str  # the device this speaker usually records with

    def metadata(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("voice", "pitch", "speed", "device")}


def make_speakers(rng: np.random.Generator, count: int) -> list[Speaker]:
    """`count` speakers with distinct (voice, pitch, speed), alternating female and male voices."""
    ids = rng.choice(np.arange(1, 100), size=count, replace=False)
    speakers: list[Speaker] = []
    seen: set[tuple[str, int, int]] = set()
    for n in range(count):
        female = n % 2 == 1
        variants = FEMALE_VARIANTS if female else MALE_VARIANTS
        while True:
            variant = variants[(n // 2) % len(variants)]
            pitch = int(rng.integers(20, 80))
            speed = int(rng.integers(135, 190))
            key = (variant, pitch // 10, speed // 10)
            if key not in seen:
                seen.add(key)
                break
        speakers.append(
            Speaker(
                speaker_id=int(ids[n]),
                voice=f"it+{variant}",
                pitch=pitch,
                speed=speed,
                age=int(rng.integers(18, 76)),
                gender="female" if female else "male",
                region=str(rng.choice(REGIONS)),
                nationality="italiana" if rng.random() < 0.93 else "altra",
                lisp="nessuno" if rng.random() < 0.9 else "lieve",
                education=str(rng.choice(EDUCATION)),
                device=str(rng.choice(DEVICES)),
            )
        )
    return speakers
