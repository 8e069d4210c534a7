"""italic-cnn: a reproducible speech-intent pipeline for Italian (ITALIC)."""

__version__ = "0.1.0"
