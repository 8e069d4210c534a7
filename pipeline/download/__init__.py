"""The `download` stage: any ITALIC source into one validated raw table (DESIGN.md §3, data/raw)."""
