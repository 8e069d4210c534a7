"""The `italic-cnn` command: one subcommand per DVC stage, plus the user-facing tools.

Errors a user can cause print as one line on stderr with exit code 2; `--debug` shows the traceback.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from pipeline.errors import StageParamsError, UserError
from pipeline.italic import CONFIGS
from pipeline.params import DEFAULT_PARAMS, load_params

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Speech-intent pipeline for Italian (ITALIC): download -> featurize -> train -> evaluate.",
)
_state = {"debug": False}
# a full disk, a quota, a read-only or forbidden folder: the machine's state, not a bug, so one line
STORAGE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
T = TypeVar("T")

ParamsOption = Annotated[Path, typer.Option("--params", help="params.yaml to read.")]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks for errors.")] = False) -> None:
    _state["debug"] = debug


def guarded(action: Callable[[], T], params: Path | None = None) -> T:
    """Run a command body; a UserError becomes one line on stderr and exit code 2. `params` is the
    command's `--params` file, named in front of errors raised where the stage no longer knows it.

    A worker of a distributed run prints nothing: it leaves its failure's first line (any exception,
    since a rank dying breaks the others' collectives) for the launcher, which prints the first one.
    """
    from pipeline import world

    worker = world.from_environment().enabled

    def fail(message: str, code: int) -> typer.Exit:
        if worker:
            world.record_failure(message)
        else:
            print(f"error: {message}", file=sys.stderr)
        return typer.Exit(code)

    try:
        return action()
    except KeyboardInterrupt:
        print("interrupted; outputs left as they were", file=sys.stderr)
        raise typer.Exit(130) from None
    except OSError as exc:
        if exc.errno not in STORAGE_ERRORS or _state["debug"]:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        raise fail(
            f"{where}{exc.strerror}; free space or fix permissions, then re-run (outputs left as they were)", 2
        ) from None
    except UserError as exc:
        if _state["debug"]:
            raise
        raise fail(f"{params or DEFAULT_PARAMS}: {exc}" if isinstance(exc, StageParamsError) else str(exc), 2) from None
    except Exception as exc:
        if not worker or _state["debug"]:
            raise
        lines = str(exc).strip().splitlines() or [""]
        raise fail(f"{type(exc).__name__}: {lines[0]}", 1) from None


@app.command("check-params")
def check_params(params: ParamsOption = DEFAULT_PARAMS) -> None:
    """Parse params.yaml strictly and say so; the first DVC stage, so a typo fails every run at once."""

    from pipeline.synth.plan import check_size

    def action() -> None:
        loaded = load_params(params)
        if loaded.data.source == "synth":
            check_size(loaded.data.synth_recordings)
        sections = [  # the shared sections; the per-config recipes are counted below
            f.name for f in dataclasses.fields(loaded) if dataclasses.is_dataclass(getattr(loaded, f.name))
            and f.name not in CONFIGS
        ]  # fmt: skip
        count = sum(len(dataclasses.fields(getattr(loaded, name))) for name in sections)
        own = [f"{config} {len(loaded.recipe(config).keys())}" for config in CONFIGS if loaded.recipe(config).keys()]
        recipes = f"; own recipe keys: {', '.join(own)}" if own else "; every config on the shared recipe"
        print(f"check-params: {params} ok ({count} keys in {', '.join(sections)}{recipes})", file=sys.stderr)

    guarded(action, params)


@app.command("params")
def params_reference() -> None:
    """Print every params.yaml key with its default, what it accepts and what it means (Markdown)."""
    from pipeline.params_table import markdown

    print(markdown(), end="")


@app.command()
def download(
    params: ParamsOption = DEFAULT_PARAMS,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("data/raw"),
) -> None:
    """Read ITALIC (synthesized, a zenodo folder or the hub), validate every row, write data/raw."""
    from pipeline.download.stage import run_download
    from pipeline.synth.plan import check_size

    def action() -> None:
        data = load_params(params).data
        if data.source == "synth":
            check_size(data.synth_recordings)
        result = run_download(data, out)
        print(result.summary(out), file=sys.stderr)

    guarded(action, params)


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write (replaced whole).")],
    recordings: Annotated[
        int | None, typer.Option("--recordings", help="Corpus size; default data.synth_recordings (16521 = ITALIC).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Corpus seed; default data.synth_seed.")] = None,
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Write the synthetic corpus in ITALIC's zenodo layout (WAV + split files) for data.source: zenodo."""
    from pipeline.params import resolve_workers
    from pipeline.synth.export import write_zenodo
    from pipeline.synth.plan import check_size

    def action() -> None:
        data = load_params(params).data
        size = data.synth_recordings if recordings is None else recordings
        check_size(size, key="--recordings")
        result = write_zenodo(size, data.synth_seed if seed is None else seed, out, resolve_workers(data.workers),
                              data.synth_kokoro_share)  # fmt: skip
        print(result.summary(out), file=sys.stderr)

    guarded(action, params)


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

    guarded(action, params)


@app.command()
def models(params: ParamsOption = DEFAULT_PARAMS) -> None:
    """Parameters and MFLOPs per second of audio of each architecture, at params.yaml's settings."""
    from pipeline.models.cost import model_cost
    from pipeline.params import ARCHS, WAVEFORM_ARCHS, shown_channels

    def action() -> None:
        loaded = load_params(params)
        model = dataclasses.asdict(loaded.model)
        for arch in ARCHS:
            features = dataclasses.asdict(loaded.features)
            if (arch in WAVEFORM_ARCHS) != (features["kind"] == "waveform"):
                features["kind"] = "waveform" if arch in WAVEFORM_ARCHS else "logmel"
            channels = shown_channels(arch, loaded.model.arch, model["channels"])
            cost = model_cost(arch, model | {"channels": channels}, features)
            marker = " (model.arch)" if arch == loaded.model.arch else ""
            print(f"{cost.line()}; channels {list(channels)}, features {features['kind']}{marker}")

    guarded(action, params)


@app.command()
def train(
    config: Annotated[str, typer.Option("--config", help="ITALIC config: massive, hard_speaker or hard_noisy.")],
    params: ParamsOption = DEFAULT_PARAMS,
    features: Annotated[Path, typer.Option("--features", help="Feature shards.")] = Path("data/features"),
    raw: Annotated[Path, typer.Option("--raw", help="data/raw (splits and labels).")] = Path("data/raw"),
    models: Annotated[Path, typer.Option("--models", help="Folder of models/<config>/model.pt.")] = Path("models"),
    results: Annotated[Path, typer.Option("--results", help="Folder of results/<config>/train.")] = Path("results"),
) -> None:
    """Train a CNN on one config's train split; keep the best epoch by validation."""
    from pipeline.train.stage import run_train

    def action() -> None:
        from pipeline.train import distributed

        _check_config(config)
        shared = load_params(params)
        loaded = shared.for_config(config)
        if loaded.train.nproc > 1 and not distributed.under_launcher():
            distributed.check_nproc(loaded.train.nproc, loaded.train.device)
            argv = ["--debug"] if _state["debug"] else []
            argv += ["train", "--config", config, "--params", str(params), "--features", str(features),
                     "--raw", str(raw), "--models", str(models), "--results", str(results)]  # fmt: skip
            code = distributed.launch(loaded.train.nproc, argv)
            if code:
                raise typer.Exit(code)
            return
        model_path = models / config / "model.pt"
        recipe = shared.recipe(config).keys()
        result = run_train(loaded, config, features, raw, model_path, results / config / "train", recipe=recipe)
        if distributed.from_environment().is_main:
            print(result.summary(model_path), file=sys.stderr)

    guarded(action, params)


@app.command()
def evaluate(
    config: Annotated[str, typer.Option("--config", help="ITALIC config whose test split to score.")],
    params: ParamsOption = DEFAULT_PARAMS,
    model: Annotated[Path | None, typer.Option("--model", help="Checkpoint; default models/<config>/model.pt.")] = None,
    features: Annotated[Path, typer.Option("--features", help="Feature shards.")] = Path("data/features"),
    raw: Annotated[Path, typer.Option("--raw", help="data/raw (splits and metadata).")] = Path("data/raw"),
    results: Annotated[Path, typer.Option("--results", help="Folder of results/<config>/evaluate.")] = Path("results"),
) -> None:
    """Score the best checkpoint of a config on its test split (metrics, confusion, errors.csv,
    predictions); `italic-cnn summarize` puts every config's scores in one table."""
    from pipeline.evaluate.stage import run_evaluate

    def action() -> None:
        _check_config(config)
        load_params(params)
        out = results / config / "evaluate"
        result = run_evaluate(config, model or Path("models") / config / "model.pt", features, raw, out)
        print(result.summary(out), file=sys.stderr)

    guarded(action, params)


@app.command()
def summarize(
    params: ParamsOption = DEFAULT_PARAMS,
    results: Annotated[Path, typer.Option("--results", help="Folder holding <config>/evaluate.")] = Path("results"),
    out_format: Annotated[str, typer.Option("--format", help="md (a Markdown table) or json.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="Also write the Markdown table to this file.")] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a page linking every config's results page.")
    ] = None,
) -> None:
    """Print every config's test scores in one table, read now from results/<config>/evaluate/metrics.json
    (what `dvc repro`, `dvc checkout` or `dvc exp apply` left there, so never another run's numbers)."""
    from pipeline.evaluate.summary import markdown, summarize, write_markdown

    def action() -> None:
        if out_format not in ("md", "json"):
            raise UserError(f"--format must be md or json, got {out_format!r}")
        table = summarize(load_params(params).data.configs, results)
        print(
            markdown(table) if out_format == "md" else json.dumps(table, indent=2),
            end="" if out_format == "md" else "\n",
        )
        if out is not None:
            write_markdown(table, out)
        if html is not None:
            from pipeline.evaluate.page import write_index

            write_index(html, table, results)

    guarded(action, params)


@app.command()
def predict(
    paths: Annotated[list[Path], typer.Argument(help="Audio files, or folders searched recursively.")],
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="Checkpoint, or a TorchScript / ONNX export; default models/<first of data.configs>/model.pt.",
        ),
    ] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=60, help="Intents listed per file.")] = 5,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=4096, help="Files scored together.")] = 32,
    output: Annotated[str, typer.Option("--format", help="json (one line per file) or table.")] = "json",
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Classify recordings: one JSON line per file on stdout; unreadable files on stderr (exit 1). An
    export gives the same lines as the checkpoint it came from."""
    from pipeline.predict import Prediction, find_audio, report_failure, scorer_for, table_line

    def action() -> int:
        if output not in ("json", "table"):
            raise UserError(f"--format must be json or table, got {output!r}")
        path = model or _default_model(params)
        files = find_audio(paths)
        predictor = scorer_for(path)
        failed = 0
        if output == "table":
            print("path\tintent\tconfidence\theard")
        for result in predictor.run(files, batch_size, top_k):
            if isinstance(result, Prediction):
                print(result.as_json() if output == "json" else table_line(result), flush=True)
            else:
                report_failure(*result)
                failed += 1
        return 1 if failed else 0

    code = guarded(action, params)
    if code:
        raise typer.Exit(code)


@app.command()
def export(
    export_format: Annotated[str, typer.Option("--format", help="torchscript or onnx.")] = "torchscript",
    model: Annotated[
        Path | None, typer.Option("--model", help="Checkpoint; default models/<first of data.configs>/model.pt.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output file; default beside the checkpoint.")] = None,
    head_only: Annotated[
        bool, typer.Option("--head-only", help="Leave out the transcript reader (lossy; marked in the file).")
    ] = False,
    int8: Annotated[bool, typer.Option("--int8", help="ONNX: int8 weights, validation accuracy printed.")] = False,
    raw: Annotated[
        Path,
        typer.Option("--raw", help="data/raw: --int8 calibrates on its training clips, scores its validation clips."),
    ] = Path("data/raw"),
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Export the whole product (features, network, CTC decoding, transcript reader): batches of 16 kHz
    waveforms of any length in; intent probabilities and what the model heard out, as predict gives them."""
    from pipeline.export.run import run_export

    def action() -> None:
        if export_format not in ("torchscript", "onnx"):
            raise UserError(f"--format must be torchscript or onnx, got {export_format!r}")
        if int8 and export_format != "onnx":
            raise UserError("--int8 is an ONNX option; add --format onnx")
        path = model or _default_model(params)
        print(run_export(path, export_format, out, head_only, int8, raw), file=sys.stderr)

    guarded(action, params)


@app.command()
def report(
    base: Annotated[
        str | None,
        typer.Option(
            "--base", help="Git revision to compare against, e.g. origin/main (or, with --base-dir, its label)."
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option("--head", help="Git revision to report on; default: the workspace (with --head-dir: its label)."),
    ] = None,
    base_dir: Annotated[
        Path | None,
        typer.Option("--base-dir", help="A project folder where the base's pipeline ran (ci/pr-report.sh)."),
    ] = None,
    head_dir: Annotated[
        Path | None, typer.Option("--head-dir", help="A project folder where the head's pipeline ran.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Markdown file; the PNGs go beside it.")] = Path("report.md"),
    top_intents: Annotated[int, typer.Option("--top-intents", min=0, help="Intents listed per config.")] = 5,
    image_url: Annotated[
        str, typer.Option("--image-url", help="Prefix of the image links, where the PNGs are published.")
    ] = "",
) -> None:
    """Markdown for a pull request: changed params, test metrics with deltas, intents that moved, and
    training curves and confusion matrices of both revisions as PNGs beside it."""
    from pipeline.report.build import build_report

    def action() -> None:
        result = build_report(base, head, out, top_intents, image_url=image_url, base_dir=base_dir, head_dir=head_dir)
        print(result.summary(), file=sys.stderr)

    guarded(action)


def _default_model(params: Path) -> Path:
    configs = load_params(params).data.configs if params.exists() else ("massive",)
    return Path("models") / configs[0] / "model.pt"


def _check_config(config: str) -> None:
    if config not in CONFIGS:
        raise UserError(f"--config {config!r} is not an ITALIC config; use one of {', '.join(CONFIGS)}")


if __name__ == "__main__":  # pragma: no cover
    app()
