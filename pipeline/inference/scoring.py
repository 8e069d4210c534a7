"""Scoring a whole split at full length, in float32 on every device: validation during training, the
evaluate stage and the benchmarks all score through here, so one clip always gets one prediction."""

from __future__ import annotations

import torch
from torch import nn

from pipeline.alphabet import character_error_rate, greedy_decode
from pipeline.inference.clips import Split, normalize
from pipeline.metrics import classification_metrics
from pipeline.world import SINGLE, World, gather_objects, gather_rows


@torch.inference_mode()
def predict_split(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    batch_size: int,
    device: torch.device,
    world: World = SINGLE,
) -> torch.Tensor:
    """Intent logits for every clip at full length; [N, n_classes] float32 on CPU."""
    return score_split(model, data, mean, std, batch_size, device, world)[0]


@torch.inference_mode()
def score_split(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    batch_size: int,
    device: torch.device,
    world: World = SINGLE,
    transcribe: bool = False,
) -> tuple[torch.Tensor, list[str] | None]:
    """Logits for every clip at full length, in batches of similar length, and with `transcribe` the
    CTC head's greedy transcript of each. Under DDP each rank scores every size-th clip of the length
    order and all ranks get every row and every transcript.

    Scoring runs in float32 on every device, as `predict` and the exported models do: only training
    uses bf16 autocast, so validation, evaluate, predict and the exports give one clip one prediction."""
    model.eval()
    order = torch.argsort(data.host_lengths, stable=True)
    mine = order[world.rank :: world.size]
    scored = torch.empty(len(mine), model.intent_head.out_features)
    heard: list[str] = []
    for start in range(0, len(mine), batch_size):
        index = mine[start : start + batch_size]
        width = int(data.host_lengths[index].max())
        index = index.to(data.device)
        lengths = data.lengths[index]
        x = normalize(data.clips(index, width), lengths, mean, std)
        if transcribe:
            outputs = model.outputs(x, lengths)
            heard += greedy_decode(outputs.chars.float(), outputs.steps)
            logits = outputs.intent
        else:
            logits = model(x, lengths)
        scored[start : start + len(index)] = logits.float().cpu()
    if world.enabled:
        scored = gather_rows(scored.to(device), world, len(data)).cpu()
    out = torch.empty_like(scored)
    out[order] = scored  # back from length order to the split's order
    if not transcribe:
        return out, None
    texts = [""] * len(data)
    for rank, rank_heard in enumerate(gather_objects(heard, world)):
        for position, text in zip(order[rank :: world.size].tolist(), rank_heard, strict=True):
            texts[position] = text
    return out, texts


def evaluate_split(
    model: nn.Module,
    data: Split,
    mean: torch.Tensor,
    std: torch.Tensor,
    batch_size: int,
    device: torch.device,
    world: World = SINGLE,
    spell: bool = False,
) -> dict[str, float]:
    """Every rank computes the same metrics from the same gathered logits. With `spell` (a network
    trained with its CTC head) also the greedy character error rate over the clips with a transcript,
    `cer`, and how many they are, `transcripts`: the decode rides on the same forward pass, and the
    edit distances are cheap (about 0.2 s over 2,033 clips on 2 cores), so every epoch's spelling is on
    the curves."""
    logits, heard = score_split(model, data, mean, std, batch_size, device, world, transcribe=spell)
    labels = data.labels.cpu()
    loss = float(nn.functional.cross_entropy(logits, labels))
    metrics = classification_metrics(labels.numpy(), logits.argmax(dim=1).numpy())
    if heard is not None:
        cer, transcripts = character_error_rate(data.texts, heard)
        if transcripts:
            metrics |= {"cer": cer, "transcripts": transcripts}
    return {"loss": loss, **metrics}
