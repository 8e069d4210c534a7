"""The networks. Each takes a padded batch plus each clip's length, keeps what lies past a clip's end
at zero after every layer, and gives intent logits (`model(x, lengths)`) or intent logits plus CTC
character logits (`model.outputs(x, lengths)`); a clip gets the same outputs alone or in any batch."""

from __future__ import annotations

from typing import Any

from pipeline.models.base import Outputs, SpeechNet
from pipeline.models.cnn1d import CNN1d, FilterbankShape
from pipeline.models.cnn2d import CNN2d
from pipeline.models.cnn2d_pooled import PooledCNN2d
from pipeline.models.pcen import PCEN
from pipeline.models.pooled import PooledTCNN
from pipeline.models.tcnn import TCNN
from pipeline.params import WAVEFORM_ARCHS

__all__ = ["Outputs", "SpeechNet", "build_model"]


def build_model(arch: str, n_bins: int, n_classes: int, model: dict[str, Any]) -> SpeechNet:
    """`model` is ModelParams as a dict (what a checkpoint stores); a key added since a checkpoint was
    written takes the value that reproduces the network it was trained as."""
    frontend = "log" if arch in WAVEFORM_ARCHS else model.get("frontend", "log")  # waveforms have their filterbank
    keep_log = frontend == "log+pcen"  # the body reads both views, stacked along the bins
    net = _body(arch, 2 * n_bins if keep_log else n_bins, n_classes, model)
    if frontend != "log":
        net.pcen = PCEN(n_bins, keep_log)  # built last, and drawing nothing: the body's weights stay the seed's
    return net


def _body(arch: str, n_bins: int, n_classes: int, model: dict[str, Any]) -> SpeechNet:
    if arch == "cnn2d":
        return CNN2d(n_bins, n_classes, model["channels"], model["kernel_size"], model["dropout"])
    if arch == "cnn2d_pooled":
        return PooledCNN2d(
            n_bins, n_classes, model["channels"], model["kernel_size"], model["dropout"], model.get("dilation", 1)
        )
    if arch == "tcnn":
        return TCNN(n_bins, n_classes, model["channels"], model["time_kernel"], model["dropout"])
    if arch == "tcnn_pooled":
        return PooledTCNN(n_bins, n_classes, model["channels"], model["time_kernel"], model["dropout"])
    if arch in ("cnn1d", "cnn1d_pooled"):
        bank = FilterbankShape(model["stem_kernel"], model["stem_stride"], model["filters"])
        return CNN1d(n_classes, model["channels"], model["time_kernel"], model["dropout"], bank, arch == "cnn1d_pooled")
    raise ValueError(f"unknown arch {arch!r}")
