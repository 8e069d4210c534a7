"""The PCEN front end: a stationary background tends to a constant whatever its level, from the first
frame on; what rises above it stands out; the train split's statistics travel in the checkpoint."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch

from pipeline.errors import ParamsError
from pipeline.inference import load_model
from pipeline.inference.checkpoint import load_checkpoint
from pipeline.models import build_model
from pipeline.models.pcen import ALPHA, DELTA, PCEN, ROOT, WINDOW_FRAMES
from pipeline.params import ModelParams, parse_params
from pipeline.predict import Predictor
from tests.test_train import tiny, tiny_params, train  # noqa: F401  (tiny is a fixture)

MEAN, STD = -6.0, 3.0  # the standardization the features arrive with: log power = MEAN + STD x feature


def standardized(log_power: torch.Tensor) -> torch.Tensor:
    return (log_power - MEAN) / STD


def front_end(n_bins: int = 4) -> PCEN:
    pcen = PCEN(n_bins)
    pcen.set_statistics(torch.full((n_bins,), MEAN), torch.full((n_bins,), STD), 1.0)
    return pcen


@pytest.mark.parametrize("level_db", [-20.0, 0.0, 30.0])
def test_a_steady_background_is_the_same_constant_at_any_level_from_the_first_frame(level_db):
    """Energy divided by its own running average: E**(1 - alpha) for a constant E, at every frame,
    the first included (the average covers only the frames the clip has had)."""
    energy = 10 ** (level_db / 10) * 1e-4
    x = standardized(torch.full((1, 4, 300), math.log(energy)))
    with torch.no_grad():
        out = front_end()(x, torch.tensor([300]))
    expected = (energy ** (1 - ALPHA) + DELTA) ** ROOT - DELTA**ROOT
    torch.testing.assert_close(out, torch.full_like(out, expected), rtol=1e-4, atol=1e-6)
    quiet = (1e-6 ** (1 - ALPHA) + DELTA) ** ROOT - DELTA**ROOT
    loud = (1e-1 ** (1 - ALPHA) + DELTA) ** ROOT - DELTA**ROOT
    onset = (1000 * 1e-4 ** (1 - ALPHA) + DELTA) ** ROOT - DELTA**ROOT  # a word's first frame, 30 dB up
    assert abs(loud - quiet) < onset / 200  # backgrounds 50 dB apart are one to the network: gain control


def test_log_and_pcen_stacked_keep_the_log_as_it_came():
    """`model.frontend: log+pcen`: the body reads twice the bins, the log features untouched on top of
    what PCEN alone gives, both zero past the clip."""
    x = standardized(torch.log(torch.rand(2, 4, 120) + 1e-3))
    lengths = torch.tensor([120, 70])
    both, alone = PCEN(4, keep_log=True), front_end()
    both.set_statistics(torch.full((4,), MEAN), torch.full((4,), STD), 1.0)
    with torch.no_grad():
        stacked, pcen = both(x, lengths), alone(x, lengths)
    assert stacked.shape == (2, 8, 120)
    torch.testing.assert_close(stacked[:, 4:], pcen)
    torch.testing.assert_close(stacked[0, :4], x[0])
    torch.testing.assert_close(stacked[1, :4, :70], x[1, :, :70])
    assert not stacked[1, :, 70:].any()
    net = build_model("tcnn_pooled", 64, 60, dict(ModelParams().__dict__) | {"frontend": "log+pcen"})
    assert net.pcen is not None and net.pcen.keep_log
    assert net(torch.randn(3, 64, 200), torch.tensor([200, 150, 90])).shape == (3, 60)


def test_a_word_stands_out_of_the_background_and_the_average_catches_up_within_its_window():
    log_power = torch.full((1, 4, 400), math.log(1e-4))
    log_power[..., 200:300] += math.log(1000.0)  # 30 dB above the background for a second
    with torch.no_grad():
        out = front_end()(standardized(log_power), torch.tensor([400]))[0, 0]
    background = float(out[150])
    assert float(out[200]) > 20 * background  # the onset
    assert float(out[200 + WINDOW_FRAMES + 5]) < 2 * background  # a steady word becomes background
    assert float(out[300]) < background / 2  # the silence after it, against the word's average


def test_padding_and_other_clips_change_nothing_and_padding_stays_zero():
    torch.manual_seed(0)
    pcen = front_end()
    clips = [torch.randn(4, n) for n in (250, 37)]
    batch = torch.zeros(2, 4, 250)
    batch[0], batch[1, :, :37] = clips[0], clips[1]
    with torch.no_grad():
        together = pcen(batch, torch.tensor([250, 37]))
        alone = pcen(clips[1][None], torch.tensor([37]))
    torch.testing.assert_close(together[1, :, :37], alone[0], atol=1e-6, rtol=0)
    assert torch.count_nonzero(together[1, :, 37:]) == 0


@pytest.fixture(scope="module")
def pcen_model(tiny, tmp_path_factory) -> Path:  # noqa: F811
    """A 1-epoch `train` with `model.frontend: pcen` on the tiny tone clips."""
    out = tmp_path_factory.mktemp("pcen")
    train(tiny, out, tiny_params(**{"train.epochs": 1, "model.frontend": "pcen", "train.reader": False}))
    return out / "model.pt"


def test_the_train_splits_statistics_travel_in_the_checkpoint(pcen_model):
    checkpoint = load_checkpoint(pcen_model)
    state = checkpoint["state_dict"]
    torch.testing.assert_close(state["pcen.mean"], checkpoint["normalization"]["mean"])
    torch.testing.assert_close(state["pcen.std"], checkpoint["normalization"]["std"])
    assert float(state["pcen.to_ln"]) == 1.0  # natural-log features
    rebuilt = build_model(checkpoint["arch"], checkpoint["n_bins"], 60, checkpoint["model"])
    rebuilt.load_state_dict(state)
    assert rebuilt.pcen is not None and checkpoint["model"]["frontend"] == "pcen"
    assert set(rebuilt.undecayed_parameters()) == set(rebuilt.pcen.parameters())


def test_both_exports_hold_the_front_end(tiny, pcen_model, tmp_path):  # noqa: F811
    """TorchScript and ONNX carry PCEN with the statistics it was trained with: their probabilities are
    predict's."""
    pytest.importorskip("onnxruntime")
    from pipeline.export.onnx import export_onnx
    from pipeline.export.products import open_product
    from pipeline.export.torchscript import export_torchscript
    from pipeline.features.transform import prepare_waveform

    loaded = load_model(pcen_model)
    export_torchscript(loaded, tmp_path / "model.ts")
    export_onnx(loaded, tmp_path / "model.onnx")
    predictor = Predictor(loaded, torch.device("cpu"))
    datas = [path.read_bytes() for path in sorted((tiny / "corpus" / "recordings").glob("*.wav"))[:3]]
    expected, heard = predictor.probabilities([predictor.features_of(d) for d in datas])
    waves = [prepare_waveform(d, predictor.features).numpy() for d in datas]
    for name in ("model.ts", "model.onnx"):
        probabilities, transcripts = open_product(tmp_path / name)(waves)
        np.testing.assert_allclose(probabilities, expected.numpy(), atol=1e-4, rtol=0)
        assert transcripts == heard


def test_pcen_needs_band_energies():
    with pytest.raises(ParamsError, match=r"model.frontend pcen needs band energies, which features.kind mfcc"):
        parse_params({"model": {"frontend": "pcen"}, "features": {"kind": "mfcc"}})
    with pytest.raises(ParamsError, match=r"model.frontend must be one of"):
        parse_params({"model": {"frontend": "sqrt"}})
    assert ModelParams().frontend == "log"
    defaults = dict(ModelParams().__dict__)
    assert build_model("tcnn_pooled", 64, 60, defaults).pcen is None
    assert build_model("tcnn_pooled", 64, 60, defaults | {"frontend": "pcen"}).pcen is not None
    # `italic-cnn models` builds every arch at the current params: the waveform networks keep their filterbank
    assert build_model("cnn1d_pooled", 1, 60, defaults | {"frontend": "pcen"}).pcen is None
