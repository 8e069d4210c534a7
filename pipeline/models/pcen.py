"""Per-channel energy normalization (PCEN), a trainable front end in place of the log.

A log-mel frame keeps background noise as a floor under the speech: at 2-8 dB SNR the floor fills the
valleys between formants and the network sees a different picture in every room. PCEN divides each
band's energy by a slow running average of that band (automatic gain control), so a stationary
background tends to a constant and what stands out of it, speech onsets and formants, keeps its
contrast; a root then compresses what is left, in place of the log (Wang et al., "Trainable frontend
for robust and far-field keyword spotting", 2017). Its exponents are learned per band.

The pipeline standardizes features per bin before the network, so the front end first undoes that
(the train split's mean and std, stored as buffers and so in every checkpoint) to get energies back.
The running average is a causal moving average (PCEN's exponential smoother would need a recurrence
over time, or a long convolution that costs more than the network's first layer): a difference of
running sums, so the first frame is its own average, the padding after a clip never reaches its
frames, and TorchScript and ONNX export it as the cumulative sum it is.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from pipeline.models.masking import time_mask

WINDOW_FRAMES = 80  # the running average's: 0.8 s at the 10 ms hop, lagging 0.4 s (librosa's time constant)
ALPHA, DELTA, ROOT = 0.98, 2.0, 0.5  # initial gain exponent, bias and root (the paper's values)
EPSILON = 1e-12  # a guard only: energies here reach 1e-7 and below, where the paper's 1e-6 would bias the average


class PCEN(nn.Module):
    """[B, bins, T] standardized log features -> [B, bins, T] PCEN, zero past each clip's length; with
    `keep_log`, [B, 2 x bins, T]: the log features as they came, then PCEN (`model.frontend: log+pcen`),
    so the network keeps the log's level and spectral detail beside PCEN's noise-free contrast."""

    def __init__(self, n_bins: int, keep_log: bool = False):
        super().__init__()
        self.keep_log = keep_log
        # the train split's statistics: set by `set_statistics` before training, then saved in the state
        self.register_buffer("mean", torch.zeros(n_bins))
        self.register_buffer("std", torch.ones(n_bins))
        self.register_buffer("to_ln", torch.ones(()))  # features x this = natural log of power
        self.log_alpha = nn.Parameter(torch.full((n_bins,), math.log(ALPHA)))
        self.log_delta = nn.Parameter(torch.full((n_bins,), math.log(DELTA)))
        self.log_root = nn.Parameter(torch.full((n_bins,), math.log(ROOT)))

    def set_statistics(self, mean: torch.Tensor, std: torch.Tensor, to_ln: float) -> None:
        """The per-bin standardization the features arrive with, and the features' log scale."""
        self.mean.copy_(mean.to(self.mean))
        self.std.copy_(std.to(self.std))
        self.to_ln.fill_(to_ln)

    @staticmethod
    def smooth(energy: torch.Tensor) -> torch.Tensor:
        """Each frame's mean over the clip's last WINDOW_FRAMES frames up to it, from a running sum: the
        window is causal, so a clip's frames never see its padding, and frame t averages min(t + 1,
        WINDOW_FRAMES) frames. The sum runs in float64, where subtracting two running sums keeps a
        quiet frame's energy next to a loud one's 80 dB above it."""
        width = energy.shape[-1]
        running = F.pad(energy.double().cumsum(-1), (WINDOW_FRAMES, 0))
        summed = running[..., WINDOW_FRAMES:] - running[..., :width]
        count = torch.arange(1, width + 1, device=energy.device).clamp(max=WINDOW_FRAMES)
        return (summed / count).float()

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = x.float()  # exponentials of log power: float32 even under bf16 autocast
        mask = time_mask(lengths, x.shape[-1])[:, None, :].to(x.dtype)
        log_power = (x * self.std[None, :, None] + self.mean[None, :, None]) * self.to_ln
        energy = log_power.clamp(max=60.0).exp()
        average = self.smooth(energy)
        alpha = self.log_alpha.exp().clamp(max=1.0)[None, :, None]
        delta = self.log_delta.exp()[None, :, None]
        root = self.log_root.exp().clamp(max=1.0)[None, :, None]
        gained = (log_power - alpha * (average + EPSILON).log()).exp()  # energy / average**alpha
        normalized = ((gained + delta) ** root - delta**root) * mask
        return torch.cat([x * mask, normalized], dim=1) if self.keep_log else normalized
