"""The networks give a clip the same logits alone or zero-padded in a batch with longer clips."""

from __future__ import annotations

import pytest
import torch

from pipeline.models import build_model

PARAMS = {
    "channels": (8, 16, 24),
    "kernel_size": 3,
    "time_kernel": 5,
    "dropout": 0.3,
    "stem_kernel": 80,
    "stem_stride": 16,
}


@pytest.mark.parametrize(("arch", "n_bins", "lengths"), [("tcnn", 64, [50, 301, 3, 120]), ("cnn2d", 40, [7, 90, 1, 33]),
                                                         ("cnn1d", 1, [16000, 4000, 400, 9001])])  # fmt: skip
def test_batched_and_single_logits_are_equal(arch, n_bins, lengths):
    torch.manual_seed(0)
    model = build_model(arch, n_bins, 60, PARAMS).eval()
    for module in model.modules():  # make BatchNorm's shift matter, as a trained model's does
        if isinstance(module, torch.nn.BatchNorm1d | torch.nn.BatchNorm2d):
            module.running_mean.normal_()
            module.bias.data.normal_()
    clips = [torch.randn(n_bins, n) for n in lengths]
    batch = torch.zeros(len(clips), n_bins, max(lengths))
    for i, clip in enumerate(clips):
        batch[i, :, : clip.shape[1]] = clip
    with torch.no_grad():
        together = model(batch, torch.tensor(lengths))
        alone = torch.cat([model(clip[None], torch.tensor([clip.shape[1]])) for clip in clips])
    assert together.shape == (4, 60)
    torch.testing.assert_close(together, alone, atol=1e-5, rtol=0)
