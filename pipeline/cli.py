"""The `italic-cnn` command: one subcommand per DVC stage, plus the user-facing tools.

Errors a user can cause print as one line on stderr with exit code 2; `--debug` shows the traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from pipeline.errors import UserError
from pipeline.params import DEFAULT_PARAMS, load_params

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Speech-intent pipeline for Italian (ITALIC): download -> featurize -> train -> evaluate.",
)
_state = {"debug": False}
T = TypeVar("T")

ParamsOption = Annotated[Path, typer.Option("--params", help="params.yaml to read.")]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks for errors.")] = False) -> None:
    _state["debug"] = debug


def guarded(action: Callable[[], T]) -> T:
    """Run a command body; a UserError becomes one line on stderr and exit code 2."""
    try:
        return action()
    except UserError as exc:
        if _state["debug"]:
            raise
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        print("interrupted; outputs left as they were", file=sys.stderr)
        raise typer.Exit(130) from None


@app.command()
def download(
    params: ParamsOption = DEFAULT_PARAMS,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("data/raw"),
) -> None:
    """Read ITALIC (demo, zenodo folder or hub), validate every row, write data/raw."""
    from pipeline.download.stage import run_download

    def action() -> None:
        data = load_params(params).data
        result = run_download(data, out)
        print(result.summary(out), file=sys.stderr)

    guarded(action)


@app.command()
def featurize(
    params: ParamsOption = DEFAULT_PARAMS,
    raw: Annotated[Path, typer.Option("--raw", help="data/raw from download.")] = Path("data/raw"),
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("data/features"),
) -> None:
    """Compute features.kind for every recording into Parquet shards in data/features."""
    from pipeline.features.stage import run_featurize

    def action() -> None:
        loaded = load_params(params)
        result = run_featurize(loaded.features, loaded.data.max_skipped_fraction, raw, out)
        print(result.summary(out), file=sys.stderr)

    guarded(action)


if __name__ == "__main__":  # pragma: no cover
    app()
