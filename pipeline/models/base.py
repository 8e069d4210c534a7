"""What every network shares: an encoder to a sequence of frames, an intent head over the pooled
sequence and a CTC head that spells the transcript from the same frames, or, in a network that pools
time too coarsely to spell, from the frames of an earlier block.

The CTC head is why the encoder learns words rather than sentence shapes: to spell a clip it must
resolve every word, and the intent head reads those frames or builds on them. It costs one linear
layer.
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
    steps: torch.Tensor  # [B] each clip's rows of `chars`


class SpeechNet(nn.Module):
    """Subclasses define `encode(x, lengths) -> ([B, width, T'], steps)`, zero past each clip's steps,
    and, where the CTC head reads other frames (`spell_width` of them), `encode_both`."""

    def __init__(self, width: int, n_classes: int, dropout: float, spell_width: int | None = None):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.intent_head = nn.Linear(2 * width, n_classes)
        self.ctc_head = nn.Linear(spell_width or width, len(ALPHABET))
        self.pcen: nn.Module | None = None  # model.frontend pcen: applied to the features before `encode`

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def encode_both(
        self, x: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(intent frames, their steps, spelling frames, their steps): by default the same frames."""
        hidden, steps = self.encode(x, lengths)
        return hidden, steps, hidden, steps

    def undecayed_parameters(self) -> list[nn.Parameter]:
        """Parameters weight decay must not touch (a learned filterbank's bands, the front end's
        exponents); the rest decay."""
        return list(self.pcen.parameters()) if self.pcen is not None else []

    def steps_of(self, lengths: torch.Tensor) -> torch.Tensor:
        """The steps the CTC head reads for clips of these input lengths, computed from the lengths alone,
        so a CPU copy of the lengths gives them without waiting for the GPU (CTC wants them on the host)."""
        raise NotImplementedError

    def forward(self, x: torch.Tensor, lengths: torch.Tensor, transcribe: bool = False) -> torch.Tensor | Outputs:
        """Intent logits (what predict, evaluate and the exported models need), or with `transcribe`
        all outputs (training calls it so, through DDP's forward)."""
        if self.pcen is not None:
            x = self.pcen(x, lengths)
        if not transcribe:
            hidden, steps = self.encode(x, lengths)
            return self.intent_head(self.dropout(masked_mean_max(hidden, steps)))
        hidden, steps, spelling, spelling_steps = self.encode_both(x, lengths)
        intent = self.intent_head(self.dropout(masked_mean_max(hidden, steps)))
        chars = self.ctc_head(self.dropout(spelling.transpose(1, 2)))
        return Outputs(intent, chars, spelling_steps)

    def outputs(self, x: torch.Tensor, lengths: torch.Tensor) -> Outputs:
        return self(x, lengths, transcribe=True)
