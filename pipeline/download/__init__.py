"""The `download` stage: any ITALIC source into one validated raw table (data/raw; its layout is in the README)."""
