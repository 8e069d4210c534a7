"""How well models hear voice families: the same held-out sentences, the same channel, other voices.

    python benchmarks/voices.py --model mixed=models/massive/model.pt --model espeak=OTHER/model.pt \\
        [--recordings 16521] [--seed 20231124] [--kokoro-share 0.15] [--sentences 300] [--config massive]

It plans the corpus, takes `--sentences` test sentences of `--config` that an espeak-ng speaker says,
and renders each sentence four ways through the very same channel (device band, room, noise, SNR and
level from that recording's own seed; `pipeline.synth.render.render` with the speech replaced):

- espeak-ng: the recording as the corpus has it;
- kokoro: the sentence said by one of the Kokoro speakers of the config's test split, in turn (for
  hard_speaker, voices its training never heard);
- festival pc / festival lp: Festival's Italian diphone voices (male `pc_diphone`, female
  `lp_diphone`, made from human recordings), an outside family no corpus uses. They need Debian's
  `festival festvox-itapc16k festvox-italp16k` (apt), installed only for this measurement; without
  them those rows are skipped, and the output says so.

Every model scores every rendering: intent accuracy (Wilson 95% interval) and the CTC head's
character error rate, with the ratio of each voice's CER to the espeak-ng row's in the same run.
Figures are about synthetic speech (espeak-ng, Kokoro) and diphone speech (Festival), not human voices.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from benchmarks.models import wilson  # noqa: E402
from pipeline.alphabet import character_error_rate, normalize_text  # noqa: E402
from pipeline.inference import load_model  # noqa: E402
from pipeline.parallel import ordered_map, process_pool  # noqa: E402
from pipeline.predict import Predictor  # noqa: E402
from pipeline.synth.plan import ITALIC_RECORDINGS, PlannedRecording, plan_corpus  # noqa: E402
from pipeline.synth.render import SAMPLE_RATE, encode, render, speak_as  # noqa: E402
from pipeline.synth.speakers import Speaker  # noqa: E402

FESTIVAL_VOICES = {"festival pc": "pc_diphone", "festival lp": "lp_diphone"}


def festival_speech(text: str, voice: str) -> np.ndarray:
    """`text` said by a Festival voice, float32 at SAMPLE_RATE (Festival's Italian reads Latin-1)."""
    with tempfile.TemporaryDirectory() as folder:
        source, wav = Path(folder) / "text.txt", Path(folder) / "speech.wav"
        source.write_bytes(text.encode("latin-1", errors="replace"))
        subprocess.run(["text2wave", "-eval", f"(voice_{voice})", str(source), "-o", str(wav)],
                       check=True, capture_output=True)  # fmt: skip
        samples, rate = sf.read(wav, dtype="float32")
    if rate != SAMPLE_RATE:
        raise SystemExit(f"Festival wrote {rate} Hz, expected {SAMPLE_RATE}: install the 16k voices")
    return samples


def rendering(job: tuple[PlannedRecording, str, Speaker | None]) -> bytes:
    """One sentence in one voice, through its recording's channel, as FLAC bytes (a worker's job)."""
    recording, voice, speaker = job
    if voice == "espeak-ng":
        speech = None
    elif voice == "kokoro":
        speech = speak_as(recording.utt, speaker)
    else:
        speech = festival_speech(recording.utt, FESTIVAL_VOICES[voice])
    return encode(render(recording, speech), "FLAC")


def choose(args) -> tuple[list[PlannedRecording], list[Speaker]]:
    plan = plan_corpus(args.recordings, args.seed, args.kokoro_share)
    pool = [r for r in plan.recordings if r.split(args.config) == "test" and r.speaker.kokoro is None]
    rng = np.random.default_rng(args.seed)
    picked = [pool[i] for i in sorted(rng.choice(len(pool), min(args.sentences, len(pool)), replace=False))]
    test = [r for r in plan.recordings if r.split(args.config) == "test"]
    # the config's own test speakers where it has Kokoro ones (hard_speaker: voices training never heard)
    voiced = sorted({r.speaker for r in test if r.speaker.kokoro is not None}, key=lambda s: s.speaker_id)
    voiced = voiced or [s for s in plan.speakers if s.kokoro is not None]
    if not voiced:
        raise SystemExit("--kokoro-share 0 plans no Kokoro speaker; give the share the corpus was made with")
    return picked, voiced


def render_all(sentences, kokoro_speakers, voices: list[str], workers: int) -> dict[str, list[bytes]]:
    out = {}
    with process_pool(workers) as pool:
        for voice in voices:
            started = time.perf_counter()
            jobs = [(r, voice, kokoro_speakers[i % len(kokoro_speakers)]) for i, r in enumerate(sentences)]
            out[voice] = list(ordered_map(pool, rendering, jobs, ahead=4 * workers))
            print(f"rendered {len(jobs)} sentences as {voice} in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def score(predictor: Predictor, audio: list[bytes], sentences) -> tuple[int, float]:
    """(correct intents, CER) over the renderings."""
    correct, heard = 0, []
    for start in range(0, len(audio), 64):
        features = [predictor.features_of(data) for data in audio[start : start + 64]]
        probs, texts = predictor.probabilities(features)
        truth = [predictor.labels.index(r.intent) for r in sentences[start : start + 64]]
        correct += int((probs.argmax(1) == torch.tensor(truth)).sum())
        heard += texts
    cer, _ = character_error_rate([normalize_text(r.utt) for r in sentences], heard)
    return correct, cer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", required=True, help="NAME=PATH of a checkpoint; repeat")
    parser.add_argument("--recordings", type=int, default=ITALIC_RECORDINGS)
    parser.add_argument("--seed", type=int, default=20231124)
    parser.add_argument("--kokoro-share", type=float, default=0.15)
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--config", default="massive")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(max(1, args.workers))

    sentences, kokoro_speakers = choose(args)
    voices = ["espeak-ng", "kokoro"]
    if shutil.which("text2wave"):
        voices += list(FESTIVAL_VOICES)
    else:
        print("festival rows skipped: text2wave not found (apt-get install festival festvox-itapc16k festvox-italp16k)")
    audio = render_all(sentences, kokoro_speakers, voices, args.workers)
    print(f"\n{len(sentences)} {args.config} test sentences (never in training), {args.recordings} recordings planned, "
          f"seed {args.seed}; each voice through each recording's own channel")  # fmt: skip
    print("| model | voice | accuracy (95%) | CER | CER / espeak-ng CER |\n|---|---|---:|---:|---:|")
    for spec in args.model:
        name, _, path = spec.partition("=")
        predictor = Predictor(load_model(Path(path), "cpu"), torch.device("cpu"))
        own = None
        for voice in voices:
            correct, cer = score(predictor, audio[voice], sentences)
            own = cer if own is None else own
            low, high = wilson(correct, len(sentences))
            print(f"| {name} | {voice} | {correct / len(sentences):.3f} ({low:.3f}–{high:.3f}) | {cer:.3f} "
                  f"| {cer / own:.2f}× |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
