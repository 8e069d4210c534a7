"""`italic-cnn export`: the whole product in one file, as `predict` scores it.

- `graph.py`: the acoustic half, a torch module from a padded batch of 16 kHz waveforms and their
  lengths to the intent head's logits and the CTC head's letters (features, float16 rounding,
  normalization and the network inside).
- `reading.py`: the other half in TorchScript: greedy CTC decoding and the transcript reader fused with
  the intent head; `torchscript.py` joins both halves into one scripted module.
- `onnx.py`: the acoustic half as ONNX with dynamic batch and time axes, the reader in its metadata;
  `onnx_runtime.py` runs that file with onnxruntime and numpy alone (no torch), as a deployment would.

This package's own import is empty so that `onnx_runtime` loads without torch.
"""
