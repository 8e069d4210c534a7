"""What every network shares: an encoder to a sequence of frames, an intent head over the pooled
sequence and a CTC head that spells the transcript from the same frames.

The CTC head is why the encoder learns words rather than sentence shapes: to spell a clip it must
resolve every word, and the intent head reads those same frames. It costs one linear layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.alphabet import ALPHABET
from pipeline.models.masking import masked_mean_max


@dataclass
class Outputs:
    intent: torch.Tensor  # [B, n_classes] logits
    chars: torch.Tensor  # [B, T', len(ALPHABET)] logits, one row per encoder step
    steps: torch.Tensor  # [B] each clip's encoder steps


class SpeechNet(nn.Module):
    """Subclasses define `encode(x, lengths) -> ([B, width, T'], steps)`, zero past each clip's steps."""

    def __init__(self, width: int, n_classes: int, dropout: float):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.intent_head = nn.Linear(2 * width, n_classes)
        self.ctc_head = nn.Linear(width, len(ALPHABET))

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def steps_of(self, lengths: torch.Tensor) -> torch.Tensor:
        """The encoder steps `encode` gives clips of these input lengths, computed from the lengths alone,
        so a CPU copy of the lengths gives them without waiting for the GPU (CTC wants them on the host)."""
        raise NotImplementedError

    def forward(self, x: torch.Tensor, lengths: torch.Tensor, transcribe: bool = False) -> torch.Tensor | Outputs:
        """Intent logits (what predict, evaluate and the exported models need), or with `transcribe`
        all outputs (training calls it so, through DDP's forward)."""
        hidden, steps = self.encode(x, lengths)
        intent = self.intent_head(self.dropout(masked_mean_max(hidden, steps)))
        if not transcribe:
            return intent
        chars = self.ctc_head(self.dropout(hidden.transpose(1, 2)))
        return Outputs(intent, chars, steps)

    def outputs(self, x: torch.Tensor, lengths: torch.Tensor) -> Outputs:
        return self(x, lengths, transcribe=True)
