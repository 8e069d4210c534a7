"""Facts about the ITALIC dataset that every source and stage shares."""

from __future__ import annotations

CONFIGS: tuple[str, ...] = ("massive", "hard_speaker", "hard_noisy")
SPLITS: tuple[str, ...] = ("train", "validation", "test")

# ITALIC's columns in order, without `audio`; the zenodo split files hold exactly these.
INT_COLUMNS: tuple[str, ...] = ("id", "age", "speaker_id")
METADATA_COLUMNS: tuple[str, ...] = (
    "id", "age", "gender", "region", "nationality", "lisp", "education", "speaker_id",
    "environment", "device", "scenario", "field", "intent", "utt",
)  # fmt: skip

HUB_REPO = "RiTA-nlp/ITALIC"
HUB_PAGE = "https://huggingface.co/datasets/RiTA-nlp/ITALIC"
ZENODO_RECORD = "https://zenodo.org/records/8040649"


def split_file_name(config: str, split: str) -> str:
    """The zenodo archive names one JSON-lines file per config and split."""
    return f"{config}_{split}.json"
