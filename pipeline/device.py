"""Where tensors go: the GPU when there is one and the params allow it."""

from __future__ import annotations

import torch

from pipeline.errors import StageParamsError


def pick_device(choice: str = "auto", key: str = "device") -> torch.device:
    """`auto`: CUDA when visible, else CPU; `cuda` without a GPU is a params error naming `key` (the CLI
    puts the `--params` file in front)."""
    if choice == "cuda" and not torch.cuda.is_available():
        raise StageParamsError(f"{key} is cuda but no CUDA GPU is visible; set it to auto or cpu")
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(choice)
