"""Mixed precision on the CPU, where the tests run: `train.precision`, a bf16 training step against the
float32 one, a bf16 run that learns and records its precision, and `train.compile` against eager."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from pipeline.download.stage import run_download
from pipeline.errors import ParamsError
from pipeline.features.stage import run_featurize
from pipeline.inference.checkpoint import load_checkpoint
from pipeline.params import parse_params
from pipeline.train.precision import autocast, resolve_precision
from pipeline.train.run import RunSettings, prepare_run
from pipeline.train.stage import run_train
from pipeline.train.trainer import Trainer
from tests.corpus import make_zenodo

CPU = torch.device("cpu")
TINY = {
    "model": {"channels": [16, 32], "dropout": 0.0},
    "train": {"epochs": 8, "batch_size": 8, "lr": 0.01, "max_seconds": 2.0, "freq_mask": 0, "time_mask": 0,
              "speed": 0.0, "time_shift_ms": 0.0, "label_smoothing": 0.0, "patience": 0, "threads": 1,
              "scheduler": "constant", "select_by": "loss"},
}  # fmt: skip


def params_with(**train):
    return parse_params({"model": TINY["model"], "train": TINY["train"] | train})


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """24 tone clips in 8 intents, three clips each, downloaded and featurized as log-mels."""
    root = tmp_path_factory.mktemp("precision")
    make_zenodo(root / "corpus", n=24, intents=8)
    data = parse_params({"data": {"source": "zenodo", "path": str(root / "corpus")}})
    run_download(data.data, root / "raw")
    run_featurize(data.features, 0.0, root / "raw", root / "features")
    return root


def test_precision_resolves_per_device_and_a_bad_value_is_one_line():
    assert resolve_precision("auto", CPU) == "fp32"
    assert resolve_precision("bf16", CPU) == "bf16" and resolve_precision("fp32", CPU) == "fp32"
    with pytest.raises(ValueError, match=r"train\.precision must be one of auto, fp32, bf16"):
        resolve_precision("fp16", CPU)
    with pytest.raises(ParamsError, match=r"train\.precision") as raised:
        parse_params({"train": {"precision": "fp16"}})
    assert "\n" not in str(raised.value)
    with autocast("bf16", CPU):
        assert torch.nn.functional.linear(torch.ones(2, 3), torch.ones(4, 3)).dtype == torch.bfloat16
    with autocast("fp32", CPU):
        assert torch.nn.functional.linear(torch.ones(2, 3), torch.ones(4, 3)).dtype == torch.float32


def one_step(tiny: Path, precision: str) -> tuple[tuple[float, float], torch.Tensor]:
    """One optimizer step of the real Trainer from the same weights on the same batch: the (intent,
    CTC) losses and every gradient, flattened."""
    run = prepare_run(RunSettings(params_with(precision=precision), "massive", CPU), tiny / "features", tiny / "raw")
    trainer = Trainer(run.model, run.data, run.settings)
    index = torch.arange(8)
    batch = trainer.augmenter.batch(
        run.data.train, index, run.data.mean, run.data.std, torch.Generator().manual_seed(0)
    )
    trainer.trained.train()
    intent, ctc = trainer.step(batch)
    grads = torch.cat([p.grad.flatten() for p in run.model.parameters() if p.grad is not None])
    return (float(intent), float(ctc)), grads


def test_a_bf16_training_step_matches_float32_within_tolerance(tiny):
    (intent32, ctc32), grads32 = one_step(tiny, "fp32")
    (intent16, ctc16), grads16 = one_step(tiny, "bf16")
    assert grads16.dtype == torch.float32  # float32 master weights take float32 gradients
    # bf16 keeps 8 bits of mantissa (relative error ~0.4% per rounding): the losses agree to ~1%, and
    # the gradient points the same way
    assert intent16 == pytest.approx(intent32, rel=0.02) and ctc16 == pytest.approx(ctc32, rel=0.02)
    cosine = torch.nn.functional.cosine_similarity(grads16, grads32, dim=0)
    assert cosine > 0.98, float(cosine)
    assert not torch.equal(grads16, grads32)  # the step did run in another precision


def curve(live: Path, name: str) -> list[float]:
    tsv = live / "plots" / "metrics" / f"{name}.tsv"
    return [float(line.split("\t")[1]) for line in tsv.read_text().splitlines()[1:]]


def test_a_bf16_run_learns_and_records_its_precision(tiny, tmp_path):
    for precision in ("fp32", "bf16"):
        out = tmp_path / precision
        run_train(params_with(precision=precision), "massive", tiny / "features", tiny / "raw", out / "model.pt",
                  out / "live", out / "resume")  # fmt: skip
    bf16, fp32 = curve(tmp_path / "bf16" / "live", "train/loss"), curve(tmp_path / "fp32" / "live", "train/loss")
    assert bf16[-1] < 0.5 * bf16[0], bf16  # it learns
    assert bf16[0] == pytest.approx(fp32[0], rel=0.03), (bf16, fp32)  # the first epoch, before paths part
    assert load_checkpoint(tmp_path / "bf16" / "model.pt")["precision"] == "bf16"
    assert load_checkpoint(tmp_path / "fp32" / "model.pt")["precision"] == "fp32"
    assert json.loads((tmp_path / "bf16" / "live" / "metrics.json").read_text())["precision"] == "bf16"


def test_a_compiled_model_trains_to_the_eager_loss(tiny, tmp_path):
    """`train.compile: true` (default mode, dynamic shapes) through inductor's CPU backend: the same
    steps as eager mode, to float32 rounding."""
    losses = {}
    for compiled in (False, True):
        out = tmp_path / str(compiled)
        run_train(params_with(compile=compiled, epochs=2), "massive", tiny / "features", tiny / "raw",
                  out / "model.pt", out / "live", out / "resume")  # fmt: skip
        losses[compiled] = curve(out / "live", "train/loss") + curve(out / "live", "val/loss")
    assert losses[True] == pytest.approx(losses[False], rel=1e-3), losses


def masked_inputs(dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(3)
    x = (torch.randn(6, 4, 40) * 2 + 3).to(dtype).requires_grad_()
    mask = torch.arange(40)[None, :] < torch.tensor([40, 31, 25, 18, 12, 40])[:, None]
    return x, mask


def norm_grads(norm: torch.nn.Module, x: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
    y = norm(x, mask)
    upstream = torch.linspace(-1, 1, y.numel()).reshape(y.shape).to(y.dtype)
    return list(torch.autograd.grad((y * upstream).sum() + (y * y).sum(), [x, norm.weight, norm.bias]))


def test_masked_batch_norms_backward_under_bf16_matches_autograd():
    """The hand-written backward with a bf16 input (what autocast hands it) against autograd through
    the composed ops in float64 on the same bf16 values: bf16 rounds the input gradient once."""
    from pipeline.models.masking import MaskedBatchNorm, _masked_normalize_composed

    x, mask = masked_inputs(torch.bfloat16)
    ours = norm_grads(MaskedBatchNorm(4).train(), x, mask)
    assert ours[0].dtype == torch.bfloat16

    class Composed(torch.nn.Module):  # autograd differentiates these ops itself
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.ones(4, dtype=torch.float64))
            self.bias = torch.nn.Parameter(torch.zeros(4, dtype=torch.float64))

        def forward(self, x, mask):
            frames = mask[:, None, :].double()
            count = frames.sum().clamp(min=2)
            return _masked_normalize_composed(x, frames, self.weight, self.bias, count, 1e-5)[0]

    reference = norm_grads(Composed(), x.detach().double().requires_grad_(), mask)
    scale = float(reference[0].abs().max())
    torch.testing.assert_close(ours[0].double(), reference[0], rtol=1e-2, atol=1e-2 * scale)
    for a, b in zip(ours[1:], reference[1:], strict=True):
        torch.testing.assert_close(a.double(), b, rtol=1e-4, atol=1e-4 * float(b.abs().max()))


def test_masked_batch_norm_takes_the_same_gradients_compiled():
    """torch.compile captures the norm through its composed ops (see MaskedBatchNorm.forward): the
    gradients equal eager mode's to float32 rounding."""
    from pipeline.models.masking import MaskedBatchNorm

    x, mask = masked_inputs(torch.float32)
    norm = MaskedBatchNorm(4).train()
    eager = norm_grads(norm, x, mask)
    compiled = torch.compile(norm, backend="aot_eager", dynamic=True)
    for a, b in zip(norm_grads(compiled, x, mask), eager, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)
