from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
SYNTH_RECORDINGS = 600  # small, but every intent in every split of every config
SYNTH_SEED = 5
# few Kokoro speakers (one in each hard_speaker pool, about 4% of the recordings: Kokoro renders at
# about 1 s a clip), so every test corpus holds both voice families at little cost
SYNTH_KOKORO_SHARE = 0.02


class Cli:
    """Runs `italic-cnn` in-process and keeps stdout/stderr apart, as a user's terminal would."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def cli() -> Cli:
    return Cli()


def one_line_error(result) -> str:
    """The one `error: ...` line of a user error (exit code 2, no traceback) from the in-process CLI."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture(scope="session")
def synth_raw(tmp_path_factory) -> Path:
    """A 600-recording synthetic corpus of both voice families, downloaded into `raw/` once for the
    whole session (~40 s)."""
    from pipeline.download.stage import run_download
    from pipeline.params import parse_params

    root = tmp_path_factory.mktemp("synth")
    data = parse_params({"data": {"synth_recordings": SYNTH_RECORDINGS, "synth_seed": SYNTH_SEED,
                                  "synth_kokoro_share": SYNTH_KOKORO_SHARE}}).data  # fmt: skip
    run_download(data, root / "raw")
    return root / "raw"
