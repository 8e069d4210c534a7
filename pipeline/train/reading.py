"""After the epochs: the transcript reader of the best checkpoint, fitted and weighted on validation.

It runs once, on the main process, with the best epoch's weights loaded: the reader must learn how
*that* network spells, and validation must weigh the two heads the checkpoint will actually hold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import torch

from pipeline.inference.clips import Split
from pipeline.inference.scoring import score_split
from pipeline.inference.transcript_reader import TranscriptReader
from pipeline.models import SpeechNet
from pipeline.params import TrainParams


@dataclass
class ReaderFit:
    reader: TranscriptReader | None
    by_weight: dict[float, dict[str, float]] = field(default_factory=dict)  # validation metrics per weight
    seconds: float = 0.0
    skipped: str = ""  # why there is no reader, where there is none

    def summary(self) -> dict[str, Any]:
        """What train's metrics and checkpoint record: the chosen weight, and validation with the intent
        head alone and fused (dvc metrics diff shows what reading added)."""
        if self.reader is None:
            return {"weight": 0.0}
        return {"weight": self.reader.weight, "terms": len(self.reader.terms), "val_head": self.by_weight[0.0],
                "val_fused": self.by_weight[self.reader.weight]}  # fmt: skip

    def store_in(self, checkpoint: dict[str, Any]) -> None:
        """The reader's state (None where there is none) and `summary`, with why it is missing."""
        checkpoint["reader"] = self.reader.state_dict() if self.reader else None
        checkpoint["reading"] = self.summary() | ({"skipped": self.skipped} if self.skipped else {})

    def line(self) -> str:
        if self.reader is None:
            return f"; no transcript reader ({self.skipped})"
        head, fused = self.by_weight[0.0], self.by_weight[self.reader.weight]
        return (
            f"; transcript reader at weight {self.reader.weight:g}: val accuracy {head['accuracy']:.3f} -> "
            f"{fused['accuracy']:.3f}, macro-F1 {head['macro_f1']:.3f} -> {fused['macro_f1']:.3f} ({self.seconds:.0f} s)"
        )


def fit_reader(
    model: SpeechNet,
    data: Split,
    val: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    train: TrainParams,
    device: torch.device,
) -> ReaderFit:
    """Transcribe the training and validation clips whole with `model` as it is (the best weights),
    fit the reader on the true and heard training transcripts, and choose its weight on validation."""
    if train.ctc_weight == 0:
        return ReaderFit(None, skipped="train.ctc_weight is 0: no CTC head to read")
    started = time.perf_counter()
    batch = 2 * train.batch_size
    _, heard = score_split(model, data, mean, std, batch, device, transcribe=True)
    val_logits, val_heard = score_split(model, val, mean, std, batch, device, transcribe=True)
    labels = data.labels.cpu().tolist()
    reader = TranscriptReader.fit([*data.texts, *heard], labels + labels, model.intent_head.out_features)
    if reader is None:
        skipped = "the training transcripts hold fewer than two intents or no words"
        return ReaderFit(None, skipped=skipped)
    by_weight = reader.choose_weight(val_logits, val_heard, val.labels.cpu().numpy(), train.select_by)
    return ReaderFit(reader, by_weight, time.perf_counter() - started)
