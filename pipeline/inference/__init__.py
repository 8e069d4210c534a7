"""Everything that serves a trained model, importing nothing from training: checkpoint loading and
validation (`checkpoint`), the ready model with its normalisation and reader (`model`), a split's
clips in memory (`clips`), float32 scoring and fusion with the transcript reader (`scoring`,
`transcript_reader`). Training uses it to validate; predict, evaluate and the exports stand on it."""

from pipeline.inference.model import LoadedModel, load_model, open_features_for

__all__ = ["LoadedModel", "load_model", "open_features_for"]
