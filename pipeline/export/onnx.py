"""The product as ONNX: the acoustic half as a graph with dynamic batch and time axes, the rest in its
metadata, run by `onnx_runtime.py` with onnxruntime and numpy alone.

ONNX has no strings worth the name, so the transcript reader's n-gram counting cannot live in the
graph without re-expressing a vocabulary of 20,000 n-grams as tensor ops over CTC decodes. The graph
ends where the tensors end (intent logits, letter logits, steps); greedy decoding and the reader (its
n-grams, idf, weights and fusion weight, about 5 MB as float32 in base64) travel in `metadata_props`
and take 60 lines of numpy, tested to give predict's answers. An int8 variant quantizes the graph's
weights (onnxruntime's dynamic quantization) and records its validation accuracy beside fp32's.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import torch

from pipeline.alphabet import ALPHABET
from pipeline.atomic import atomic_file
from pipeline.errors import UserError
from pipeline.export.graph import FRAME_MULTIPLE, AcousticGraph, batch_width
from pipeline.export.torchscript import product_description
from pipeline.inference import LoadedModel

INPUTS = ("waveform", "num_samples")
CALIBRATION_CLIPS = 64  # training clips whose activations set the int8 ranges
MAX_SECONDS = 600  # the longest clip the graph takes, as the audio reader's own bound
OUTPUTS = ("intent_logits", "letter_logits", "steps")


def reader_metadata(loaded: LoadedModel, head_only: bool) -> dict:
    reader = None if head_only else loaded.reader
    if reader is None or reader.weight == 0:
        return {"weight": 0.0}
    return {
        "weight": float(reader.weight),
        "terms": list(reader.terms),
        "idf": _b64(reader.idf),
        "coef": _b64(reader.coef),
        "intercept": _b64(reader.intercept),
        "shape": list(reader.coef.shape),
    }


def _b64(tensor: torch.Tensor) -> str:
    return base64.b64encode(tensor.detach().float().cpu().numpy().astype("<f4").tobytes()).decode("ascii")


def onnx_graph(loaded: LoadedModel) -> bytes:
    """The acoustic half through torch.onnx's dynamo exporter, batch and time dynamic."""
    try:
        import onnx
    except ImportError:
        raise UserError("ONNX export needs the onnx extra: pip install -e '.[onnx]'") from None
    module = AcousticGraph(loaded, convolution_stft=True).eval()
    rate, hop = loaded.features["sample_rate"], int(loaded.features["hop_length"])
    chunk = FRAME_MULTIPLE * hop
    example = (torch.zeros(2, batch_width(int(1.5 * rate), hop)), torch.tensor([int(1.5 * rate), int(0.9 * rate)]))
    # time is a whole number of chunks (graph.batch_width): the networks' halvings then need no branch
    chunks = torch.export.Dim("chunks", min=2, max=MAX_SECONDS * rate // chunk)
    batch = torch.export.Dim("batch", min=1, max=4096)
    with torch.no_grad():
        program = torch.onnx.export(
            module, example, input_names=list(INPUTS), output_names=list(OUTPUTS), dynamo=True, verbose=False,
            dynamic_shapes={"waveform": {0: batch, 1: chunk * chunks}, "num_samples": {0: batch}},
        )  # fmt: skip
    proto = program.model_proto
    return onnx._serialize(proto) if hasattr(onnx, "_serialize") else proto.SerializeToString()


def with_metadata(model: bytes, metadata: dict[str, str]) -> bytes:
    import onnx

    proto = onnx.load_from_string(model)
    del proto.metadata_props[:]
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    return proto.SerializeToString()


def quantize_int8(model: bytes, calibration: list[np.ndarray], hop: int) -> bytes:
    """onnxruntime's static quantization (QDQ, int8 weights per channel, uint8 activations) of the
    network's convolutions and matrix products, activation ranges calibrated on `calibration` clips.
    The feature extractor stays float: int8 spectra would lose the quiet bands a log-mel reads.
    Dynamic quantization was measured 2x slower than fp32 here (ConvInteger), static 2x faster."""
    import tempfile

    import onnx
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    proto = onnx.load_from_string(model)
    # the feature extractor's products (STFT, mel filterbank, DCT) read power spectra spanning 10 orders of
    # magnitude: in uint8 the log-mel is noise (validation accuracy 0.108 against 0.802, measured)
    features = [node.name for node in proto.graph.node if any(name.startswith("extractor.") for name in node.input)]

    class Clips(CalibrationDataReader):
        def __init__(self) -> None:
            self.clips = iter(calibration)

        def get_next(self) -> dict | None:
            wave = next(self.clips, None)
            if wave is None:
                return None
            batch = np.zeros((1, batch_width(len(wave), hop)), np.float32)
            batch[0, : len(wave)] = wave
            return {"waveform": batch, "num_samples": np.array([len(wave)], np.int64)}

    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        source.write_bytes(model)
        quantize_static(str(source), str(target), Clips(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        op_types_to_quantize=["Conv", "MatMul"], nodes_to_exclude=features)  # fmt: skip
        return target.read_bytes()


def export_onnx(loaded: LoadedModel, out: Path, head_only: bool = False, int8: bool = False,
                clips: dict[str, tuple[list[np.ndarray], list[int]]] | None = None) -> dict:  # fmt: skip
    """Write the graph with the metadata predict needs. With `int8`, the statically quantized graph,
    calibrated on `clips["train"]` (waveforms, labels), and both precisions' accuracy on
    `clips["validation"]`, stored in the file and returned."""
    description = product_description(loaded, head_only) | {"precision": "int8" if int8 else "fp32"}
    metadata = {"labels": json.dumps(loaded.labels), "features": json.dumps(loaded.features),
                "alphabet": json.dumps(list(ALPHABET)), "chunk": str(FRAME_MULTIPLE * int(loaded.features["hop_length"])),
                "reader": json.dumps(reader_metadata(loaded, head_only))}  # fmt: skip
    graph = onnx_graph(loaded)
    if int8:
        if not clips or not clips.get("train"):
            raise UserError(
                "--int8 calibrates on training clips: pass --raw the data/raw the checkpoint was trained from"
            )
        fp32 = with_metadata(graph, metadata | {"product": json.dumps(description)})
        graph = quantize_int8(graph, clips["train"][0][:CALIBRATION_CLIPS], int(loaded.features["hop_length"]))
        if clips.get("validation"):
            from pipeline.export.onnx_runtime import OnnxProduct

            waves, labels = clips["validation"]
            quantized = with_metadata(graph, metadata | {"product": json.dumps(description)})
            description["calibration_clips"] = min(CALIBRATION_CLIPS, len(clips["train"][0]))
            description["validation"] = {
                "clips": len(labels),
                "fp32_accuracy": OnnxProduct(fp32).accuracy(waves, labels),
                "int8_accuracy": OnnxProduct(quantized).accuracy(waves, labels),
            }
    with atomic_file(out, "wb") as handle:
        handle.write(with_metadata(graph, metadata | {"product": json.dumps(description)}))
    return description
