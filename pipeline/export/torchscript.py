"""The whole product as one TorchScript file: what `predict` scores, batched, any length.

forward(waveform [B, N] float32 at the checkpoint's rate, zero-padded; num_samples [B] int64) returns
(probabilities [B, labels], transcripts). The acoustic half is traced (it has no data-dependent
control flow); decoding and the reader are scripted, with strings, a dict and loops. Labels, feature
parameters and what the file holds (`product.json`: fused or head-only) travel as extra files.
"""

import io
import json
from pathlib import Path

import torch
from torch import nn

from pipeline.alphabet import ALPHABET
from pipeline.atomic import atomic_file
from pipeline.export.graph import FRAME_MULTIPLE, AcousticGraph, batch_width
from pipeline.export.reading import ScriptedReader, greedy_paths, spell
from pipeline.inference import LoadedModel

EXTRA_FILES = ("labels.json", "features.json", "product.json")


class Product(nn.Module):
    def __init__(self, acoustic: torch.jit.ScriptModule, reader: ScriptedReader, spells: bool, hop: int):
        super().__init__()
        self.acoustic = acoustic
        self.reader = reader
        self.spells = spells
        self.alphabet = list(ALPHABET)
        self.chunk = FRAME_MULTIPLE * hop
        self.hop = hop

    def forward(self, waveform: torch.Tensor, num_samples: torch.Tensor) -> tuple[torch.Tensor, list[str]]:
        longest = int(num_samples.max())
        width = max(2, (longest + self.hop + self.chunk - 1) // self.chunk) * self.chunk  # graph.batch_width
        waveform = nn.functional.pad(waveform[:, :longest], (0, width - min(longest, waveform.shape[1])))
        intent, chars, steps = self.acoustic(waveform, num_samples)
        paths = greedy_paths(chars, steps) if self.spells else [[0][:0] for _ in range(intent.shape[0])]
        heard = [spell(path, self.alphabet) for path in paths]
        return torch.softmax(self.reader(intent, paths), dim=1), heard


def product_description(loaded: LoadedModel, head_only: bool) -> dict:
    """What an export holds, stored in it: `fused` is predict's product; `head_only` drops the reader."""
    reader = loaded.reader
    fused = reader is not None and reader.weight > 0 and not head_only
    return {"product": "head_only" if head_only and reader is not None and reader.weight > 0 else "fused" if fused
            else "intent_head", "reader_weight": reader.weight if fused else 0.0, "spells": loaded.spells}  # fmt: skip


def build_product(loaded: LoadedModel, head_only: bool = False) -> torch.jit.ScriptModule:
    acoustic = AcousticGraph(loaded).eval()
    rate = loaded.features["sample_rate"]
    hop = int(loaded.features["hop_length"])
    width = batch_width(int(1.5 * rate), hop)
    example = (0.1 * torch.randn(2, width), torch.tensor([int(1.5 * rate), int(0.9 * rate)]))
    with torch.no_grad():
        traced = torch.jit.trace(acoustic, example, check_trace=False)
    reader = ScriptedReader(None if head_only else loaded.reader, len(loaded.labels))
    return torch.jit.script(Product(traced, reader, loaded.spells, hop).eval())


def export_torchscript(loaded: LoadedModel, out: Path, head_only: bool = False) -> dict:
    module = build_product(loaded, head_only)
    description = product_description(loaded, head_only)
    extra = {"labels.json": json.dumps(loaded.labels), "features.json": json.dumps(loaded.features),
             "product.json": json.dumps(description)}  # fmt: skip
    buffer = io.BytesIO()
    torch.jit.save(module, buffer, _extra_files=extra)
    with atomic_file(out, "wb") as handle:
        handle.write(buffer.getvalue())
    return description


def load_torchscript(path: Path) -> tuple[torch.jit.ScriptModule, list[str], dict, dict]:
    """(module, labels, feature metadata, product description) of an exported file."""
    extra = dict.fromkeys(EXTRA_FILES, "")
    module = torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    return (
        module,
        json.loads(extra["labels.json"]),
        json.loads(extra["features.json"]),
        json.loads(extra["product.json"]),
    )
