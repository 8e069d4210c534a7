"""The acoustic half of an export: padded waveforms in, the two heads' outputs out.

A batch holds clips of any lengths, zero-padded to the longest, with each clip's true length. Each
clip is reflect-padded by n_fft/2 at its own ends (as a centred STFT pads it), so its frames equal
those `featurize` stored for it; frames past its end are masked before the network, which ignores
padding. Features are rounded to float16 as the shards hold them, then standardized with the train
split's statistics. `features.max_seconds` cuts each clip where featurize and predict cut it.
"""

from __future__ import annotations

import torch
from torch import nn

from pipeline.features.transform import FeatureExtractor
from pipeline.inference import LoadedModel
from pipeline.params import FeatureParams


def samples_kept(params: FeatureParams) -> int | None:
    """Samples of a clip its features cover: features.max_seconds (as `cut_to_max`), or all (None)."""
    return None if params.max_seconds is None else round(params.max_seconds * params.sample_rate)


class ConvolutionSpectrogram(FeatureExtractor):
    """The feature extractor with its STFT as two strided convolutions (windowed cosines and sines).
    onnxruntime's STFT operator runs a plain DFT for a window that is not a power of two (400 samples):
    82 ms of a 10 s clip's 104, against about 1 ms for the convolutions (benchmarks/serve.py)."""

    def __init__(self, params: FeatureParams):
        super().__init__(params)
        n_fft, window = params.n_fft, torch.hann_window(params.window, dtype=torch.float64)
        full = torch.zeros(n_fft, dtype=torch.float64)  # torch.stft centres a shorter window in n_fft
        start = (n_fft - params.window) // 2
        full[start : start + params.window] = window
        angle = (
            2 * torch.pi * torch.outer(torch.arange(n_fft // 2 + 1, dtype=torch.float64), torch.arange(n_fft)) / n_fft
        )
        basis = torch.cat([torch.cos(angle) * full, -torch.sin(angle) * full])[:, None, :]  # [2 x bins, 1, n_fft]
        self.register_buffer("basis", basis.float())

    def power_spectrogram(self, padded: torch.Tensor) -> torch.Tensor:
        both = nn.functional.conv1d(padded[:, None, :], self.basis, stride=self.params.hop_length)
        real, imag = both.chunk(2, dim=1)
        power = real.square() + imag.square()
        return power if self.params.power == 2.0 else power.sqrt()


class AcousticGraph(nn.Module):
    """([B, N] float32 waveforms, [B] int64 lengths) -> (intent logits [B, labels], letter logits
    [B, T', alphabet], each clip's steps of them [B]). `convolution_stft` for ONNX (see above)."""

    def __init__(self, loaded: LoadedModel, convolution_stft: bool = False):
        super().__init__()
        params = FeatureParams.from_metadata(loaded.features)
        spectral = params.kind != "waveform"
        self.extractor = ConvolutionSpectrogram(params) if convolution_stft and spectral else FeatureExtractor(params)
        self.model = loaded.model
        self.register_buffer("mean", loaded.mean.detach().cpu().clone())
        self.register_buffer("std", loaded.std.detach().cpu().clone())
        self.pad, self.hop = params.n_fft // 2, params.hop_length
        self.waveform_kind = params.kind == "waveform"
        self.keep = samples_kept(params)

    def forward(self, waveform: torch.Tensor, num_samples: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """`waveform` is `batch_width` wide: a whole number of chunks of FRAME_MULTIPLE hops."""
        n = num_samples.clamp(min=1)
        if self.keep is not None:  # features.max_seconds, as featurize and predict cut (what follows is masked)
            n = n.clamp(max=self.keep)
        if not self.waveform_kind:  # one hop less: 1 + width // hop frames is then a multiple of FRAME_MULTIPLE
            waveform = waveform[:, : waveform.shape[1] - self.hop]
        width = waveform.shape[1]
        position = torch.arange(width + 2 * self.pad, device=waveform.device)[None, :] - self.pad
        source = position.abs()  # reflect at the start: x[pad], ..., x[1]
        source = torch.where(source >= n[:, None], 2 * (n[:, None] - 1) - source, source)  # and at the end
        end = n[:, None] + (0 if self.waveform_kind else self.pad)  # a spectrum reads pad reflected samples more
        inside = (position >= (0 if self.waveform_kind else -self.pad)) & (position < end)
        padded = waveform.gather(1, source.clamp(0, width - 1).expand(waveform.shape[0], -1)) * inside
        frames = n if self.waveform_kind else 1 + torch.div(n, self.hop, rounding_mode="floor")
        features = self.extractor(padded, frames).to(torch.float16).float()
        x = (features - self.mean[None, :, None]) / self.std[None, :, None]
        x = x * (torch.arange(x.shape[-1], device=x.device)[None, :] < frames[:, None])[:, None, :]
        outputs = self.model.outputs(x, frames)
        return outputs.intent.float(), outputs.chars.float(), outputs.steps


# Every network halves time at most 5 times; a batch whose frames are a multiple of 2**5 halves evenly,
# so the exported graph has no branch on the clip's length and ONNX keeps its time axis dynamic.
FRAME_MULTIPLE = 32


def batch_width(longest: int, hop: int) -> int:
    """Samples a batch is zero-padded to: whole chunks of FRAME_MULTIPLE hops, one hop more than its
    longest clip, two chunks at least (0.64 s at a 10 ms hop)."""
    chunk = FRAME_MULTIPLE * hop
    return max(2, -(-(longest + hop) // chunk)) * chunk


def pad_batch(waves: list[torch.Tensor], hop: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Clips of any lengths as one zero-padded [B, batch_width] batch and their [B] lengths."""
    lengths = torch.tensor([len(w) for w in waves], dtype=torch.long)
    batch = torch.zeros(len(waves), batch_width(int(lengths.max()), hop))
    for row, wave in enumerate(waves):
        batch[row, : len(wave)] = torch.as_tensor(wave, dtype=torch.float32)
    return batch, lengths
