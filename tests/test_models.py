"""The networks: a clip gets the same outputs alone or zero-padded in a batch with longer clips, and each
architecture can learn (it overfits a handful of clips, intents and transcripts)."""

from __future__ import annotations

import pytest
import torch

from pipeline import alphabet
from pipeline.models import build_model
from pipeline.models.masking import MaskedBatchNorm
from pipeline.params import STAGED_ARCHS, ModelParams
from tests.corpus import dump_params

PARAMS = {"kernel_size": 3, "time_kernel": 5, "dropout": 0.0, "stem_kernel": 401, "stem_stride": 160, "filters": 16}
CHANNELS = {"tcnn": (8, 16, 24), "tcnn_pooled": (8, 16, 24), "cnn2d": (4, 6, 8, 10), "cnn1d": (8, 16, 24)}
CHANNELS["cnn1d_pooled"], CHANNELS["cnn2d_pooled"] = CHANNELS["cnn1d"], CHANNELS["cnn2d"]
VARIANTS = {  # name: (arch, params changed)
    "cnn2d_pooled dilated": ("cnn2d_pooled", {"dilation": 2}),
    "tcnn_pooled pcen": ("tcnn_pooled", {"frontend": "pcen"}),
    "cnn2d pcen": ("cnn2d", {"frontend": "pcen"}),
    "tcnn_pooled log+pcen": ("tcnn_pooled", {"frontend": "log+pcen"}),
}
CASES = [
    ("tcnn", 64, [50, 301, 3, 120]),
    ("tcnn_pooled", 64, [50, 301, 3, 121]),
    ("tcnn_pooled pcen", 64, [50, 301, 3, 121]),
    ("tcnn_pooled log+pcen", 64, [50, 301, 3, 121]),
    ("cnn2d", 40, [7, 90, 1, 33]),
    ("cnn2d pcen", 40, [7, 90, 1, 33]),
    ("cnn2d_pooled", 40, [7, 90, 1, 33]),
    ("cnn2d_pooled dilated", 40, [7, 90, 1, 33]),
    ("cnn1d", 1, [16000, 4000, 400, 9001]),
    ("cnn1d_pooled", 1, [16000, 4000, 400, 9001]),
]


def model_of(name: str, n_bins: int, n_classes: int = 60):
    arch, changed = VARIANTS.get(name, (name, {}))
    return build_model(arch, n_bins, n_classes, PARAMS | {"channels": CHANNELS[arch]} | changed)


def padded(clips: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([c.shape[1] for c in clips])
    batch = torch.zeros(len(clips), clips[0].shape[0], int(lengths.max()))
    for i, clip in enumerate(clips):
        batch[i, :, : clip.shape[1]] = clip
    return batch, lengths


@pytest.mark.parametrize(("arch", "n_bins", "lengths"), CASES)
def test_batched_and_single_outputs_are_equal(arch, n_bins, lengths):
    torch.manual_seed(0)
    model = model_of(arch, n_bins).eval()
    for module in model.modules():  # make BatchNorm's shift matter, as a trained model's does
        if isinstance(module, torch.nn.BatchNorm1d):
            module.running_mean.normal_()
            module.bias.data.normal_()
    clips = [torch.randn(n_bins, n) for n in lengths]
    batch, batch_lengths = padded(clips)
    with torch.no_grad():
        together = model.outputs(batch, batch_lengths)
        alone = [model.outputs(clip[None], torch.tensor([clip.shape[1]])) for clip in clips]
    assert together.intent.shape == (4, 60)
    torch.testing.assert_close(together.intent, torch.cat([a.intent for a in alone]), atol=1e-5, rtol=0)
    for i, single in enumerate(alone):
        steps = int(single.steps)
        assert int(together.steps[i]) == steps
        torch.testing.assert_close(together.chars[i, :steps], single.chars[0, :steps], atol=1e-5, rtol=0)


@pytest.mark.parametrize(("arch", "n_bins", "lengths"), CASES)
def test_steps_computed_from_lengths_alone_equal_the_encoders(arch, n_bins, lengths):
    """CTC takes its lengths from `steps_of` on the CPU; they must be the encoder's own."""
    model = model_of(arch, n_bins).eval()
    batch, batch_lengths = padded([torch.randn(n_bins, n) for n in lengths])
    with torch.no_grad():
        outputs = model.outputs(batch, batch_lengths)
    assert model.steps_of(batch_lengths).tolist() == outputs.steps.tolist()
    assert int(outputs.steps.max()) == outputs.chars.shape[1]


def frames_heard(model, n_bins: int, frames: int) -> int:
    """How many input frames, first to last, a change in moves the middle intent step."""
    torch.manual_seed(2)
    x = torch.randn(1, n_bins, frames)
    lengths = torch.tensor([frames])
    with torch.no_grad():
        hidden = model.encode(x, lengths)[0]
        middle = hidden.shape[-1] // 2
        heard = []
        for frame in range(frames):
            changed = x.clone()
            changed[0, :, frame] += 10 * torch.randn(n_bins)
            if not torch.equal(model.encode(changed, lengths)[0][..., middle], hidden[..., middle]):
                heard.append(frame)
    return heard[-1] - heard[0] + 1


def test_dilation_widens_what_the_2d_network_hears_without_new_weights():
    """The stem, six 3-wide convolutions and three poolings span 75 input frames (0.75 s); dilating
    blocks 2 and 3 by 2 spans 123 with the same weights."""
    plain, dilated = model_of("cnn2d_pooled", 40).eval(), model_of("cnn2d_pooled dilated", 40).eval()
    assert [p.shape for p in plain.parameters()] == [p.shape for p in dilated.parameters()]
    near, far = frames_heard(plain, 40, 200), frames_heard(dilated, 40, 200)
    assert 60 < near <= 75
    assert 110 < far <= 123


def reference_masked_batch_norm(x, mask, gamma, beta, eps):
    """Masked BatchNorm composed from plain tensor ops, autograd doing the backward."""
    shape = (mask.shape[0],) + (1,) * (x.dim() - 2) + (mask.shape[1],)
    weight = mask.reshape(shape).to(x.dtype)
    dims = [0, *range(2, x.dim())]
    count = weight.sum() * (x[0, 0].numel() // x.shape[-1])
    mean = (x * weight).sum(dims) / count
    var = (((x - mean.reshape(1, -1, *[1] * (x.dim() - 2))) ** 2) * weight).sum(dims) / count
    view = (1, -1, *[1] * (x.dim() - 2))
    xhat = (x - mean.reshape(view)) / torch.sqrt(var.reshape(view) + eps)
    return (xhat * gamma.reshape(view) + beta.reshape(view)) * weight, mean, var


# the written-out backward runs on whatever device trains; CI has only the CPU
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", [(5, 3, 17), (4, 6, 5, 11)])
def test_masked_batch_norm_values_and_gradients_equal_the_composed_reference(shape, device):
    torch.manual_seed(1)
    norm = MaskedBatchNorm(shape[1]).double().train().to(device)
    with torch.no_grad():
        norm.weight.uniform_(0.5, 1.5)
        norm.bias.normal_()
    x = torch.randn(*shape, dtype=torch.double, device=device, requires_grad=True)
    lengths = torch.randint(1, shape[-1] + 1, (shape[0],), device=device)
    mask = torch.arange(shape[-1], device=device)[None, :] < lengths[:, None]
    upstream = torch.randn(*shape, dtype=torch.double, device=device)
    ours = norm(x, mask)
    ours_grads = torch.autograd.grad((ours * upstream).sum(), [x, norm.weight, norm.bias])
    gamma = norm.weight.detach().clone().requires_grad_()
    beta = norm.bias.detach().clone().requires_grad_()
    theirs, mean, var = reference_masked_batch_norm(x, mask, gamma, beta, norm.eps)
    their_grads = torch.autograd.grad((theirs * upstream).sum(), [x, gamma, beta])
    torch.testing.assert_close(ours, theirs)
    for a, b in zip(ours_grads, their_grads, strict=True):
        torch.testing.assert_close(a, b)
    count = float(mask.sum()) * (x[0, 0].numel() // shape[-1])
    torch.testing.assert_close(norm.running_mean, 0.9 * torch.zeros_like(mean) + 0.1 * mean.detach())
    torch.testing.assert_close(norm.running_var, 0.9 + 0.1 * var.detach() * count / (count - 1))


@pytest.mark.parametrize("device", DEVICES)
def test_masked_batch_norm_keeps_float32_statistics_for_bf16_inputs(device):
    """Under bf16 autocast the norm's input is bf16; E[x^2] - E[x]^2 in bf16 on features far from zero
    would cancel to nonsense, so the statistics must come out as float32 arithmetic would give them."""
    torch.manual_seed(2)
    norm = MaskedBatchNorm(4).train().to(device)
    x = (torch.randn(6, 4, 40, device=device) * 0.5 + 30).to(torch.bfloat16).requires_grad_()
    lengths = torch.randint(10, 41, (6,), device=device)
    mask = torch.arange(40, device=device)[None, :] < lengths[:, None]
    y = norm(x, mask)
    reference, _, _ = reference_masked_batch_norm(
        x.detach().double(), mask, norm.weight.detach().double(), norm.bias.detach().double(), norm.eps
    )
    assert y.dtype == torch.float32
    torch.testing.assert_close(y.double(), reference, rtol=2e-3, atol=2e-3)  # float32 cancels to ~6e-4 here
    (grad,) = torch.autograd.grad(y.sum() + (y * y).sum(), [x])
    assert grad.dtype == torch.bfloat16 and torch.isfinite(grad.float()).all()


def test_masked_batch_norm_ignores_padding_in_its_statistics():
    torch.manual_seed(0)
    norm, plain = MaskedBatchNorm(3), torch.nn.BatchNorm1d(3)
    x = torch.randn(2, 3, 10) * 4 + 2
    padded_x = torch.cat([x, 100 * torch.ones(2, 3, 5)], dim=2)  # garbage past each clip's end
    mask = torch.arange(15)[None, :] < 10
    out = norm(padded_x, mask.expand(2, -1))
    torch.testing.assert_close(out[..., :10], plain(x))
    assert out[..., 10:].abs().max() == 0
    torch.testing.assert_close(norm.running_mean, plain.running_mean)
    torch.testing.assert_close(norm.running_var, plain.running_var)


@pytest.mark.parametrize(("arch", "n_bins", "lengths"), [case for case in CASES if case[0] != "cnn2d pcen"])
def test_each_architecture_overfits_a_handful_of_clips(arch, n_bins, lengths):
    """Eight noise clips with eight intents and eight transcripts: a network that can learn reaches
    100% training accuracy and spells the transcripts back; one that cannot stays near chance."""
    torch.manual_seed(1)
    clips = [torch.randn(n_bins, n + 40 * (n_bins > 1) + 900 * (n_bins == 1)) for n in lengths * 2]
    x, lengths_t = padded(clips)
    x = x / x.std()
    labels = torch.arange(8) * 7
    texts = ["si", "no", "ora", "via", "tre", "due", "uno", "ok"]
    targets, target_lengths = alphabet.targets(texts)
    model = model_of(arch, n_bins)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    ctc = torch.nn.CTCLoss(zero_infinity=True)
    for _ in range(300):
        out = model.outputs(x, lengths_t)
        log_probs = out.chars.log_softmax(-1).transpose(0, 1)
        loss = torch.nn.functional.cross_entropy(out.intent, labels) + ctc(
            log_probs, targets, out.steps, target_lengths
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        out = model.outputs(x, lengths_t)
    assert (out.intent.argmax(1) == labels).all()
    assert alphabet.greedy_decode(out.chars, out.steps) == texts


def test_model_cost_counts_parameters_and_flops_per_second_of_audio(cli, tmp_path):
    from pipeline.models.cost import model_cost

    features = {"kind": "logmel", "sample_rate": 16000, "hop_length": 160, "n_mels": 64, "n_fft": 400}
    cost = model_cost("tcnn", PARAMS | {"channels": (16, 32)}, features)
    model = build_model("tcnn", 64, 60, PARAMS | {"channels": (16, 32)})
    assert cost.parameters == sum(p.numel() for p in model.parameters())
    # the stem alone: 64 bins -> 16 channels, kernel 5, 50 steps per second, 2 FLOPs per multiply-add
    assert cost.mflops_per_second > 2 * 64 * 16 * 5 * 50 / 1e6
    wider = model_cost("tcnn", PARAMS | {"channels": (32, 64)}, features)
    ratio = wider.mflops_per_second / cost.mflops_per_second
    assert 2 < ratio < 4  # the stem grows with the width, the inner convolutions with its square
    params = tmp_path / "params.yaml"
    dump_params(params, {"model": {"channels": [16, 32]}})
    result = cli("models", "--params", params)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "tcnn",
        "tcnn_pooled",
        "cnn2d",
        "cnn2d_pooled",
        "cnn1d",
        "cnn1d_pooled",
    ]
    assert lines[0].startswith(model_cost("tcnn", PARAMS | {"channels": (16, 32), "time_kernel": 9}, features).line())
    # a 1-D list means nothing to the 2-D networks: they are costed at their own CPU widths
    assert lines[3].endswith(f"channels {list(STAGED_ARCHS['cnn2d_pooled'])}, features logmel")
    dump_params(params, {"model": {"arch": "cnn2d_pooled", "channels": [8, 16, 32, 64]}})
    lines = cli("models", "--params", params).stdout.strip().splitlines()
    assert lines[3].endswith("channels [8, 16, 32, 64], features logmel (model.arch)")
    assert lines[2].endswith(f"channels {list(STAGED_ARCHS['cnn2d'])}, features logmel")
    assert lines[0].endswith(f"channels {list(ModelParams.channels)}, features logmel")


def test_the_filterbank_steers_each_band_by_its_learned_centre():
    """A tone excites most the band whose centre is nearest it, and moving a band's centre moves what it
    hears: the two numbers per band are the filter."""
    from pipeline.models.cnn1d import GaborFilterbank

    bank = GaborFilterbank(16, 401, 160, 16000)
    t = torch.arange(8000) / 16000
    centres, _ = bank.bands()
    with torch.no_grad():
        for band in (2, 9, 14):
            tone = torch.sin(2 * torch.pi * float(centres[band]) * t)[None, None]
            assert int(bank(tone)[0, :, 10:-10].mean(-1).argmax()) == band
        bank.log_centre[3] = torch.tensor(3000.0).log()  # band 3 retuned to 3 kHz
        tone = torch.sin(2 * torch.pi * 3000.0 * t)[None, None]
        energies = bank(tone)[0, :, 10:-10].mean(-1)
        assert energies[3] > energies.max() - 1 and energies[3] > energies[2] + 5  # natural-log energies


def test_the_filterbank_learns_its_bands_and_weight_decay_leaves_them_be():
    from pipeline.train.optimizer import parameter_groups

    model = model_of("cnn1d_pooled", 1)
    bands = {id(model.frontend.log_centre), id(model.frontend.log_sigma)}
    decayed, undecayed = parameter_groups(model, 0.01)
    assert {id(p) for p in undecayed["params"]} == bands and undecayed["weight_decay"] == 0.0
    assert decayed["weight_decay"] == 0.01 and not bands & {id(p) for p in decayed["params"]}
    assert len(decayed["params"]) + 2 == len(list(model.parameters()))
    assert len(parameter_groups(model_of("tcnn_pooled", 64), 0.01)) == 1  # nothing else changes
    model(torch.randn(2, 1, 4000), torch.tensor([4000, 3000])).sum().backward()
    assert model.frontend.log_centre.grad.abs().min() > 0 and model.frontend.log_sigma.grad.abs().min() > 0
