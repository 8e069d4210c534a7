"""Decide every synthetic recording (sentence, speaker, device, noise) and its split in each ITALIC
config, before any audio exists.

Held-out phrasings in every config: each intent's templates are dealt into seven groups, one per
held-out split (`massive/validation`, `massive/test`, `hard_speaker/validation`, ...) and one that is
training material everywhere, by their stable ids (`pipeline.synth.phrasing.template_group`). A
recording's split in a config follows from its template's group:
validation or test if the group is that config's, train otherwise. So in every config, validation
and test sentences come only from templates no training sentence of that config uses, and test
accuracy means accuracy on phrasings the model never heard, as on ITALIC (MASSIVE's sentences are
each written anew).

The other two ITALIC conditions ride on the same groups: the `hard_speaker/*` recordings are spoken by
speaker pools that speak nothing else, and the `hard_noisy/test` recordings are the only ones mixed
with noise below `NOISIEST_SNR_DB[1]`.

Sizes follow ITALIC: at 16,521 recordings every config is 11,514 / 2,033 / 2,974; other sizes keep
those proportions (with at least one recording of each intent in each split).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from pipeline.errors import ParamsError
from pipeline.italic import CONFIGS, METADATA_COLUMNS
from pipeline.labels import INTENTS, scenario_of
from pipeline.synth.kokoro import draw_voice
from pipeline.synth.phrasing import HELD_OUT, TRAIN_GROUP, Template, slot_values, template_group, templates_by_intent
from pipeline.synth.speakers import SPEAKERS, Speaker, make_speakers

ITALIC_RECORDINGS = 16521
ITALIC_SPLIT_SIZES = {"train": 11514, "validation": 2033, "test": 2974}  # every config, at ITALIC's size
NOISE_KINDS = ("white", "pink", "brown", "babble", "hum")
NOISIEST_SNR_DB = (2.0, 8.0)  # hard_noisy/test: the noisiest recordings, and only they
OTHER_SNR_DB = (8.0, 30.0)
NOISY_FRACTION = 0.35  # of the recordings outside hard_noisy/test
FAR_FIELD_FRACTION = 0.25
OWN_DEVICE_PROBABILITY = 0.8


@dataclass(frozen=True)
class PlannedRecording:
    id: int
    intent: str
    template: Template
    group: str  # one of HELD_OUT, or TRAIN_GROUP
    utt: str
    speaker: Speaker
    device: str
    field: str
    noise: str | None  # one of NOISE_KINDS; None: a silent environment
    snr_db: float | None
    babble_text: str  # what the background talker says when noise == "babble"
    seed: int  # everything random about the audio comes from here

    def split(self, config: str) -> str:
        """Validation or test where the template is held out for `config`, train everywhere else."""
        held_config, _, held_split = self.group.partition("/")
        return held_split if held_config == config else "train"

    def metadata(self) -> dict[str, Any]:
        """One row of an ITALIC split file, columns in ITALIC's order."""
        values = {
            "id": self.id, **self.speaker.metadata(),
            "environment": "noisy" if self.noise else "silent", "device": self.device,
            "scenario": scenario_of(self.intent), "field": self.field, "intent": self.intent, "utt": self.utt,
        }  # fmt: skip
        return {column: values[column] for column in METADATA_COLUMNS}

    def provenance(self) -> dict[str, Any]:
        """How the recording was made, so anyone can check the split discipline and the conditions."""
        voice, kokoro = self.speaker.voice, self.speaker.kokoro
        espeak = kokoro is None
        return {
            "id": self.id, "speaker_id": self.speaker.speaker_id, "intent": self.intent,
            "template_id": self.template.id, "template": self.template.text,
            "template_kind": self.template.kind, "template_group": self.group,
            "family": self.speaker.family,
            "voice": "kokoro" if kokoro else f"klatt{voice.klatt}" if voice.klatt else "espeak",
            "pitch": voice.pitch_hz[0] if espeak else None,
            "formants": "/".join(map(str, voice.formants)) if espeak else None,
            "rate": voice.rate if espeak else None,
            "kokoro_blend": kokoro.blend() if kokoro else None, "kokoro_speed": kokoro.speed if kokoro else None,
            "device": self.device, "field": self.field, "noise": self.noise, "snr_db": self.snr_db,
        }  # fmt: skip


@dataclass(frozen=True)
class CorpusPlan:
    seed: int
    speakers: tuple[Speaker, ...]
    recordings: tuple[PlannedRecording, ...]  # sorted by id

    def splits(self, config: str) -> dict[int, str]:
        return {r.id: r.split(config) for r in self.recordings}

    def sizes(self) -> dict[str, Counter]:
        return {config: Counter(r.split(config) for r in self.recordings) for config in CONFIGS}


def held_out_totals(recordings: int) -> dict[str, int]:
    """Recordings in each config's validation and test split: ITALIC's shares, one per intent at least."""
    return {
        split: max(len(INTENTS), round(recordings * ITALIC_SPLIT_SIZES[split] / ITALIC_RECORDINGS))
        for split in ("validation", "test")
    }


def minimum_recordings() -> int:
    """The smallest corpus whose held-out groups fit, each with every intent."""
    n = len(INTENTS)
    while len(CONFIGS) * sum(held_out_totals(n).values()) > n:
        n += 1
    return n


MAX_RECORDINGS = 200_000  # params.py's bound on data.synth_recordings too


def check_size(recordings: int, key: str = "params.yaml: data.synth_recordings") -> None:
    if recordings > MAX_RECORDINGS:
        raise ParamsError(
            f"{key} must be <= {MAX_RECORDINGS} (about {MAX_RECORDINGS // 16521} times ITALIC's 16521), got {recordings}"
        )
    smallest = minimum_recordings()
    if recordings < smallest:
        raise ParamsError(
            f"{key} must be >= {smallest} so that every config holds every intent in each of its splits, "
            f"got {recordings}"
        )


def plan_corpus(recordings: int, seed: int, kokoro_share: float = 0.0) -> CorpusPlan:
    """The whole corpus as data; the same (recordings, seed, kokoro_share) always gives the same plan.
    `kokoro_share`: the share of speakers, in each hard_speaker pool, that Kokoro voices (0: espeak-ng
    only, the same corpus as before the second family existed)."""
    check_size(recordings)
    check_share(kokoro_share)
    rng = np.random.default_rng(seed)
    speakers = make_speakers(rng, SPEAKERS)
    counts = _group_counts(recordings, rng)
    drafts: list[dict[str, Any]] = []
    templates = templates_by_intent()
    for intent in INTENTS:
        groups = [template_group(t, seed) for t in templates[intent]]
        for group, count in counts[intent].items():
            members = [t for t, g in zip(templates[intent], groups, strict=True) if g == group]
            order = rng.permutation(len(members))
            drafts += [{"intent": intent, "group": group, "template": members[order[k % len(members)]]}
                       for k in range(count)]  # fmt: skip
    speakers = _assign_speakers(drafts, speakers, recordings, rng, Families(kokoro_share, seed))
    planned = [_finish(draft, rng) for draft in drafts]
    ids = rng.permutation(len(planned)) + 1
    planned = sorted((replace(p, id=int(i)) for p, i in zip(planned, ids, strict=True)), key=lambda p: p.id)
    return CorpusPlan(seed, tuple(speakers), tuple(planned))


def fill(template: str, rng: np.random.Generator) -> str:
    """Each `{slot}` replaced by a random value of that slot, lower-cased like ITALIC's transcripts."""
    slots = slot_values()
    return re.sub(r"{(\w+)}", lambda m: str(rng.choice(slots[m.group(1)])), template).lower()


def _group_counts(recordings: int, rng: np.random.Generator) -> dict[str, dict[str, int]]:
    """Recordings per intent and template group: each held-out group gets its split's total, spread
    evenly over intents; what is left of each intent's share is training material everywhere."""
    per_intent = np.full(len(INTENTS), recordings // len(INTENTS))
    per_intent[rng.choice(len(INTENTS), recordings % len(INTENTS), replace=False)] += 1
    left = per_intent.copy()
    counts: dict[str, dict[str, int]] = {intent: {} for intent in INTENTS}
    totals = held_out_totals(recordings)
    for group in HELD_OUT:
        base, extra = divmod(totals[group.split("/")[1]], len(INTENTS))
        lucky = set(np.lexsort((rng.random(len(INTENTS)), -left))[:extra].tolist())  # most room left first
        for i, intent in enumerate(INTENTS):
            counts[intent][group] = base + (i in lucky)
            left[i] -= counts[intent][group]
    for i, intent in enumerate(INTENTS):
        assert left[i] >= 0, f"{intent}: held-out groups overfill its {per_intent[i]} recordings"
        counts[intent][TRAIN_GROUP] = int(left[i])
    return counts


def check_share(kokoro_share: float, key: str = "params.yaml: data.synth_kokoro_share") -> None:
    if not 0.0 <= kokoro_share <= 1.0:
        raise ParamsError(f"{key} must be between 0 and 1 (the share of speakers Kokoro voices), got {kokoro_share}")


@dataclass(frozen=True)
class Families:
    """Which speakers of a pool Kokoro voices. Its draws come from their own stream of the corpus seed,
    so a share of 0 leaves every other draw, and so the espeak-ng-only corpus, as it was."""

    kokoro_share: float
    seed: int

    def count(self, pool_size: int) -> int:
        """Kokoro speakers in a pool: its share, rounded, but at least one of each family in any pool
        of two or more whenever both families are asked for."""
        wanted = round(self.kokoro_share * pool_size)
        if 0.0 < self.kokoro_share < 1.0 and pool_size >= 2:
            return min(max(wanted, 1), pool_size - 1)
        return wanted

    def voice(self, pools: dict[str, list[Speaker]]) -> dict[str, list[Speaker]]:
        """The same pools with `count` speakers of each (drawn at random) turned into Kokoro voices."""
        rng = np.random.default_rng([self.seed, 2])  # the family stream: never the plan's own
        voiced = {}
        for name in sorted(pools):
            pool = pools[name]
            chosen = set(rng.choice(len(pool), self.count(len(pool)), replace=False).tolist())
            voiced[name] = [replace(s, kokoro=draw_voice(s.gender, rng)) if i in chosen else s
                            for i, s in enumerate(pool)]  # fmt: skip
        return voiced


def _assign_speakers(
    drafts: list[dict[str, Any]], speakers: list[Speaker], total: int, rng: np.random.Generator, families: Families
) -> list[Speaker]:
    """hard_speaker's pools: the `hard_speaker/validation` and `/test` groups each get speakers of their
    own, sized by their share; everything else is spoken by the rest. Each pool holds both voice
    families in `families`' share, so hard_speaker tests unseen voices of each family, and training
    hears both. Within a pool, speakers take turns, so each speaks about as much as any other.
    Returns the speakers, Kokoro voices set, in their original order."""
    totals = held_out_totals(total)
    order = [speakers[i] for i in rng.permutation(len(speakers))]
    n_val = max(1, round(len(speakers) * totals["validation"] / total))
    n_test = max(1, round(len(speakers) * totals["test"] / total))
    pools = families.voice({"hard_speaker/validation": order[:n_val], "hard_speaker/test": order[n_val : n_val + n_test],
                            "rest": order[n_val + n_test :]})  # fmt: skip
    members: dict[str, list[dict[str, Any]]] = {}
    for draft in drafts:
        members.setdefault(draft["group"] if draft["group"] in pools else "rest", []).append(draft)
    for name, group in members.items():
        pool = pools[name]
        turns = np.concatenate([rng.permutation(len(pool)) for _ in range(len(group) // len(pool) + 1)])
        for draft, k in zip(group, turns, strict=False):
            draft["speaker"] = pool[int(k)]
    final = {s.speaker_id: s for pool in pools.values() for s in pool}
    return [final[s.speaker_id] for s in speakers]


def _finish(draft: dict[str, Any], rng: np.random.Generator) -> PlannedRecording:
    """Sentence, device, distance and noise of one recording."""
    speaker: Speaker = draft["speaker"]
    noisiest = draft["group"] == "hard_noisy/test"
    noisy = noisiest or rng.random() < NOISY_FRACTION
    low, high = NOISIEST_SNR_DB if noisiest else OTHER_SNR_DB
    other_intent = str(rng.choice(INTENTS))
    return PlannedRecording(
        id=0,
        intent=draft["intent"],
        template=draft["template"],
        group=draft["group"],
        utt=fill(draft["template"].text, rng),
        speaker=speaker,
        device=speaker.device if rng.random() < OWN_DEVICE_PROBABILITY else str(rng.choice(["phone", "laptop"])),
        field="far" if rng.random() < FAR_FIELD_FRACTION else "close",
        noise=str(rng.choice(NOISE_KINDS)) if noisy else None,
        snr_db=float(np.floor(rng.uniform(low, high) * 100) / 100) if noisy else None,  # stays below `high`
        babble_text=fill(str(rng.choice([t.text for t in templates_by_intent()[other_intent]])), rng),
        seed=int(rng.integers(2**31)),
    )
