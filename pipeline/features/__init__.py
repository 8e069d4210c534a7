"""Features: one code path from audio bytes to arrays, shared by `featurize`, `train` and `predict`."""
