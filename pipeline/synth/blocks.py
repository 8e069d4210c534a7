"""The one format every template list is written in: an `intent:` header, then one indented
template per line. Plain text keeps a thousand sentences readable and diffable."""

from __future__ import annotations


def parse_blocks(text: str) -> dict[str, tuple[str, ...]]:
    """Parse `intent:` headers followed by one indented template per line."""
    templates: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = templates.setdefault(line.strip().rstrip(":"), [])
        elif current is not None:
            current.append(line.strip())
    return {intent: tuple(lines) for intent, lines in templates.items()}
