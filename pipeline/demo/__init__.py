"""The embedded demo corpus: synthetic Italian commands in ITALIC's zenodo layout (DESIGN.md §2)."""
