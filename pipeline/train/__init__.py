"""The `train` stage: a CNN per ITALIC config, validation-based model selection, resumable."""
