"""Generate the embedded demo corpus in ITALIC's zenodo layout (needs espeak-ng and sox).

    python -m pipeline.demo.generate --out data/demo --seed 20231124

The same seed gives the same sentences, speakers, noise, SNRs and splits. The Ogg container gets a
random stream serial from libsndfile, so file bytes differ between runs while the decoded audio,
the split files and generation.json do not.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from pipeline.atomic import atomic_dir
from pipeline.demo.slots import SLOTS
from pipeline.demo.speakers import Speaker, make_speakers
from pipeline.demo.splits import PlannedRecording, hard_noisy_split, hard_speaker_split, massive_split
from pipeline.demo.synth import NOISE_KINDS, RenderSpec, encode_opus, render, require_tools
from pipeline.demo.templates import TEMPLATES
from pipeline.italic import CONFIGS, METADATA_COLUMNS, SPLITS, split_file_name
from pipeline.labels import INTENTS, scenario_of

SPEAKER_POOLS = (16, 3, 5)  # hard_speaker: train / validation / test speakers
NOISY_FRACTION = 0.4
FAR_FIELD_FRACTION = 0.25
OWN_DEVICE_PROBABILITY = 0.8


def fill(template: str, rng: np.random.Generator) -> str:
    """Replace each `{slot}` with a random value of that slot."""
    return re.sub(r"{(\w+)}", lambda m: str(rng.choice(SLOTS[m.group(1)])), template)


def plan(seed: int, per_intent: int) -> tuple[list[Speaker], list[dict]]:
    """Decide every recording (text, speaker, device, noise) before rendering any audio."""
    rng = np.random.default_rng(seed)
    speakers = make_speakers(rng, sum(SPEAKER_POOLS))
    n_noisy = round(per_intent * NOISY_FRACTION)
    rows: list[dict] = []
    for intent in INTENTS:
        templates = TEMPLATES[intent]
        template_order = np.concatenate(
            [rng.permutation(len(templates)) for _ in range(per_intent // len(templates) + 1)]
        )
        speaker_order = np.concatenate([rng.permutation(len(speakers)) for _ in range(per_intent // len(speakers) + 1)])
        noisy = set(rng.choice(per_intent, size=n_noisy, replace=False).tolist())
        for k in range(per_intent):
            speaker = speakers[int(speaker_order[k])]
            template_index = int(template_order[k])
            is_noisy = k in noisy
            rows.append({
                "intent": intent,
                "template_index": template_index,
                "utt": fill(templates[template_index], rng),
                "speaker": speaker,
                "device": speaker.device if rng.random() < OWN_DEVICE_PROBABILITY else str(rng.choice(["phone", "laptop"])),
                "field": "far" if rng.random() < FAR_FIELD_FRACTION else "close",
                "noise": str(rng.choice(NOISE_KINDS)) if is_noisy else None,
                "snr_db": round(float(rng.uniform(0.0, 20.0)), 2) if is_noisy else None,
                "babble_text": fill(str(rng.choice(TEMPLATES[str(rng.choice(INTENTS))])), rng),
                "seed": int(rng.integers(2**31)),
            })  # fmt: skip
    for new_id, idx in enumerate(rng.permutation(len(rows)), start=1):
        rows[int(idx)]["id"] = new_id
    rows.sort(key=lambda r: r["id"])
    return speakers, rows


def metadata_row(row: dict) -> dict:
    """One line of a split file: ITALIC's columns in ITALIC's order."""
    speaker: Speaker = row["speaker"]
    values = {
        "id": row["id"], **speaker.metadata(),
        "environment": "noisy" if row["noise"] else "silent", "device": row["device"],
        "scenario": scenario_of(row["intent"]), "field": row["field"], "intent": row["intent"], "utt": row["utt"],
    }  # fmt: skip
    return {column: values[column] for column in METADATA_COLUMNS}


def render_row(row: dict) -> bytes:
    speaker: Speaker = row["speaker"]
    spec = RenderSpec(
        text=row["utt"], voice=speaker.voice, pitch=speaker.pitch, speed=speaker.speed,
        device=row["device"], field=row["field"], noise=row["noise"], snr_db=row["snr_db"] or 0.0,
        babble_text=row["babble_text"], seed=row["seed"],
    )  # fmt: skip
    return encode_opus(render(spec))


def build_splits(seed: int, speakers: list[Speaker], rows: list[dict]) -> dict[str, dict[int, str]]:
    rng = np.random.default_rng(seed + 1)
    planned = [PlannedRecording(r["id"], r["intent"], r["speaker"].speaker_id, r["snr_db"]) for r in rows]
    return {
        "massive": massive_split(planned, rng),
        "hard_speaker": hard_speaker_split(planned, [s.speaker_id for s in speakers], SPEAKER_POOLS, rng),
        "hard_noisy": hard_noisy_split(planned, rng),
    }


def tool_versions() -> dict[str, str]:
    def first_line(cmd: list[str]) -> str:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]

    return {"espeak-ng": first_line(["espeak-ng", "--version"]), "sox": first_line(["sox", "--version"])}


def generate(out: Path, seed: int, per_intent: int, workers: int) -> dict:
    require_tools()
    started = time.perf_counter()
    speakers, rows = plan(seed, per_intent)
    splits = build_splits(seed, speakers, rows)
    with atomic_dir(out) as tmp:
        (tmp / "recordings").mkdir()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for row, audio in zip(rows, pool.map(render_row, rows, chunksize=16), strict=False):
                (tmp / "recordings" / f"{row['id']}.ogg").write_bytes(audio)
        for config in CONFIGS:
            for split in SPLITS:
                lines = [
                    json.dumps(metadata_row(r), ensure_ascii=False) for r in rows if splits[config][r["id"]] == split
                ]
                (tmp / split_file_name(config, split)).write_text(
                    "".join(f"{line}\n" for line in lines), encoding="utf-8"
                )
        generation = {
            "seed": seed, "per_intent": per_intent, "tools": tool_versions(),
            "speakers": [{**s.metadata(), "voice": s.voice, "pitch": s.pitch, "speed": s.speed} for s in speakers],
            "recordings": [
                {"id": r["id"], "intent": r["intent"], "template_index": r["template_index"],
                 "speaker_id": r["speaker"].speaker_id, "noise": r["noise"], "snr_db": r["snr_db"]}
                for r in rows
            ],
        }  # fmt: skip
        (tmp / "generation.json").write_text(json.dumps(generation, ensure_ascii=False, indent=1) + "\n")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    counts = Counter((c, s) for c in CONFIGS for s in splits[c].values())
    return {"recordings": len(rows), "bytes": size, "seconds": time.perf_counter() - started, "counts": counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("data/demo"))
    parser.add_argument("--seed", type=int, default=20231124)
    parser.add_argument("--per-intent", type=int, default=34)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    result = generate(args.out, args.seed, args.per_intent, args.workers)
    print(
        f"demo corpus: {result['recordings']} recordings, {result['bytes'] / 1e6:.1f} MB, "
        f"{result['seconds']:.0f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
