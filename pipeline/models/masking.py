"""Length masks, masked pooling and BatchNorm that learns from real frames only.

Whole clips are batched with zero padding up to the longest one. Plain BatchNorm would average that
padding into its statistics, so a clip's features would depend on its batch-mates' lengths during
training and the running statistics would drift towards silence. `MaskedBatchNorm` counts only each
clip's own frames, and every layer leaves the padding at exactly zero, so a clip gets the same output
alone or in any batch at inference.
"""

from __future__ import annotations

import torch
from torch import nn


def time_mask(lengths: torch.Tensor, width: int) -> torch.Tensor:
    """[B, width] bool: True on each clip's own frames."""
    return torch.arange(width, device=lengths.device)[None, :] < lengths[:, None]


def strided_lengths(lengths: torch.Tensor, stride: int) -> torch.Tensor:
    """Frames left after a 'same'-padded convolution or ceil-mode pooling with this stride."""
    return (lengths + stride - 1) // stride


def masked_mean_max(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """[B, C, T] -> [B, 2C]: mean and max over each clip's own frames."""
    mask = time_mask(lengths, x.shape[-1])[:, None, :]
    mean = (x * mask).sum(-1) / lengths.clamp(min=1)[:, None].to(x.dtype)
    peak = x.masked_fill(~mask, float("-inf")).amax(-1)
    return torch.cat([mean, peak], dim=1)


def _masked_normalize_composed(
    x: torch.Tensor, weight: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, count: torch.Tensor, eps: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """BatchNorm over the frames `weight` marks, as plain tensor ops: the output and the batch's mean,
    variance and 1/std per channel. `_MaskedNormalize` runs it with its own backward; under
    torch.compile it runs bare, for autograd to differentiate and inductor to fuse."""
    dims = [0, *range(2, x.dim())]
    view = (1, -1, *([1] * (x.dim() - 2)))
    masked = x * weight
    mean = masked.sum(dims) / count
    var = ((masked * x).sum(dims) / count - mean * mean).clamp(min=0)
    invstd = torch.rsqrt(var + eps)
    scale = gamma * invstd
    y = (x * scale.reshape(view) + (beta - mean * scale).reshape(view)) * weight
    return y, mean, var, invstd


class _MaskedNormalize(torch.autograd.Function):
    """Training-mode masked BatchNorm in one node with its backward written out: the same maths as
    composing ~25 tensor ops (whose autograd graph replays as many again), in about half the kernels.
    On a GPU a small network's step is bound by kernel launches, not by arithmetic."""

    @staticmethod
    def forward(ctx, x, weight, gamma, beta, count, eps):  # type: ignore[override]
        y, mean, var, invstd = _masked_normalize_composed(x, weight, gamma, beta, count, eps)
        ctx.save_for_backward(x, weight, gamma, mean, invstd, count)
        ctx.mark_non_differentiable(mean, var)
        ctx.set_materialize_grads(False)
        return y, mean, var

    @staticmethod
    def backward(ctx, grad_y, grad_mean, grad_var):  # type: ignore[override]
        # grad_mean / grad_var are None: the statistics only feed the running averages (no_grad)
        x, weight, gamma, mean, invstd, count = ctx.saved_tensors
        dims = [0, *range(2, x.dim())]
        view = (1, -1, *([1] * (x.dim() - 2)))
        g = grad_y * weight
        grad_beta = g.sum(dims)
        grad_gamma = invstd * ((g * x).sum(dims) - mean * grad_beta)  # sum of g * xhat, without xhat
        # d/dx of BN over the masked frames, (gamma invstd / n) (n g - sum g - xhat sum g xhat) masked,
        # regrouped per channel as a g + mask (b x + c): five elementwise passes instead of nine
        a = gamma * invstd
        b = -a * invstd * grad_gamma / count
        c = -a * grad_beta / count - b * mean
        grad_x = (x * b.reshape(view) + c.reshape(view)).mul_(weight).add_(g.mul_(a.reshape(view)))  # g is ours
        return grad_x, None, grad_gamma, grad_beta, None, None


class MaskedBatchNorm(nn.BatchNorm1d):
    """BatchNorm over [B, C, T] or [B, C, F, T] whose batch statistics skip padded frames.

    In eval mode it is plain BatchNorm with running statistics (per element, so padding cannot leak);
    the output is zeroed past each clip's end either way.
    """

    def _check_input_dim(self, input: torch.Tensor) -> None:  # any rank >= 3 is fine
        if input.dim() < 3:
            raise ValueError(f"expected [B, C, ..., T], got shape {tuple(input.shape)}")

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        """mask: [B, T] bool, True on real frames."""
        shape = (mask.shape[0],) + (1,) * (x.dim() - 2) + (mask.shape[1],)
        if not self.training:
            y = nn.functional.batch_norm(
                x, self.running_mean, self.running_var, self.weight, self.bias, False, 0.0, self.eps
            )
            return y * mask.reshape(shape).to(y.dtype)
        # statistics in float32 at least: under bf16 autocast E[x^2] - E[x]^2 would cancel badly
        x = x.to(torch.promote_types(x.dtype, torch.float32))
        weight = mask.reshape(shape).to(x.dtype)
        count = (weight.sum() * (x[0, 0].numel() // x.shape[-1])).clamp(min=2)
        if torch.compiler.is_compiling():
            # dynamo's capture of _MaskedNormalize's hand-written backward gives wrong gradients (torch
            # 2.11, every backend); composed ops are differentiated by autograd and fused by inductor
            y, mean, var, _ = _masked_normalize_composed(x, weight, self.weight, self.bias, count, self.eps)
        else:
            y, mean, var = _MaskedNormalize.apply(x, weight, self.weight, self.bias, count, self.eps)
        with torch.no_grad():
            self.num_batches_tracked += 1
            self.running_mean.lerp_(mean.to(self.running_mean.dtype), self.momentum)
            self.running_var.lerp_((var * (count / (count - 1))).to(self.running_var.dtype), self.momentum)
        return y


class SubSpectralNorm(nn.Module):
    """BatchNorm per (channel, frequency sub-band) on [B, C, F, T] (BC-ResNet): a low band's statistics
    differ from a high band's, and one normaliser per channel would blur them."""

    def __init__(self, channels: int, sub_bands: int):
        super().__init__()
        self.sub_bands = sub_bands
        self.norm = MaskedBatchNorm(channels * sub_bands)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, c, f, t = x.shape
        y = self.norm(x.reshape(b, c * self.sub_bands, f // self.sub_bands, t), mask)
        return y.reshape(b, c, f, t)
