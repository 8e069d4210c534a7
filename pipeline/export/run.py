"""`italic-cnn export`'s main loop: load, export, and for int8 score validation clips in both precisions."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.audio import AudioProblem
from pipeline.inference import LoadedModel, load_model


def run_export(path: Path, export_format: str, out: Path | None, head_only: bool, int8: bool, raw: Path) -> str:
    """Write the export; return its summary line."""
    loaded = load_model(path)
    if export_format == "onnx":
        from pipeline.export.onnx import CALIBRATION_CLIPS, export_onnx

        target = out or path.with_suffix(".int8.onnx" if int8 else ".onnx")
        clips = None
        if int8:
            clips = {"train": split_clips(loaded, raw, "train", CALIBRATION_CLIPS),
                     "validation": split_clips(loaded, raw, "validation")}  # fmt: skip
        description = export_onnx(loaded, target, head_only, int8, clips)
    else:
        from pipeline.export.torchscript import export_torchscript

        target = out or path.with_suffix(".ts")
        description = export_torchscript(loaded, target, head_only)
    what = {"fused": f"the product: intent head fused with the transcript reader (weight {description['reader_weight']:g})",
            "head_only": "the intent head alone (--head-only: without the transcript reader predict fuses; lossy)",
            "intent_head": "the intent head (this checkpoint has no transcript reader to fuse)"}[description["product"]]  # fmt: skip
    line = f"export: {path} -> {target} ({export_format}{', int8' if int8 else ''}; {what})"
    checked = description.get("validation")
    if checked:
        line += (f"; validation accuracy on {checked['clips']} clips: fp32 {checked['fp32_accuracy']:.3f}, "
                 f"int8 {checked['int8_accuracy']:.3f}")  # fmt: skip
    elif int8:
        line += f"; int8 accuracy not measured: no validation clips under {raw}"
    if int8:
        line += f"; calibrated on {description.get('calibration_clips', 0)} training clips"
    return line


def split_clips(
    loaded: LoadedModel, raw: Path, split: str, limit: int | None = None
) -> tuple[list[np.ndarray], list[int]] | None:
    """One split of the checkpoint's config from data/raw, as 16 kHz waveforms, and their labels."""
    from pipeline.features.stage import iter_raw
    from pipeline.features.transform import prepare_waveform
    from pipeline.params import FeatureParams
    from pipeline.splits import recording_metadata, split_ids

    config = loaded.checkpoint.get("config")
    if config is None or not (Path(raw) / "splits.parquet").is_file():
        return None
    wanted = set(split_ids(config, split, raw))
    intents = recording_metadata(["intent"], raw)
    params = FeatureParams.from_metadata(loaded.features)
    waves, labels = [], []
    for rid, data in iter_raw(raw):
        if rid in wanted:
            try:
                waves.append(prepare_waveform(data, params).numpy())
            except AudioProblem:
                continue
            labels.append(loaded.labels.index(intents[rid]["intent"]))
            if limit is not None and len(waves) >= limit:
                break
    return (waves, labels) if waves else None
