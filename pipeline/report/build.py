"""Build the report: DVC's params and metrics diffs between the revisions, the per-intent moves, the
PNGs, and the markdown that links them, each file written atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.atomic import atomic_file
from pipeline.errors import UserError
from pipeline.report.compare import (
    Comparison,
    folder_metric_rows,
    folder_param_changes,
    intent_moves,
    metric_rows,
    paired_rows,
    param_changes,
    with_intervals,
)
from pipeline.report.figures import draw_confusions, draw_curves
from pipeline.report.markdown import render
from pipeline.report.revision import folder_revision, open_revision


@dataclass
class ReportResult:
    comparison: Comparison
    out: Path
    images: list[Path]

    def summary(self) -> str:
        verdicts = [row.verdict for row in self.comparison.metrics]
        counts = ", ".join(f"{verdicts.count(v)} {v}" for v in ("changed", "same", "new", "removed"))
        paired = [row.paired.verdict for row in self.comparison.paired if row.paired is not None]
        tested = ", ".join(f"{paired.count(v)} {v}" for v in ("better", "worse", "no significant change"))
        return (
            f"report: {self.comparison.head.label} against {self.comparison.base.label}; "
            f"{len(self.comparison.params)} params changed; {len(verdicts)} test metrics ({counts}); "
            f"paired accuracy on {len(paired)} configs ({tested}); {len(self.images)} images -> {self.out}"
        )


def build_report(
    base: str | None,
    head: str | None,
    out: Path,
    top_intents: int = 5,
    root: Path | None = None,
    image_url: str = "",
    base_dir: Path | None = None,
    head_dir: Path | None = None,
) -> ReportResult:
    """Two git revisions read through DVC (`base`, `head`), or two project folders where the pipeline
    ran (`base_dir`, `head_dir`: what ci/pr-report.sh makes). `image_url` prefixes the image links,
    for a comment whose PNGs are published elsewhere."""
    if base_dir is not None or head_dir is not None:
        if base_dir is None or head_dir is None:
            raise UserError("--base-dir and --head-dir go together: the two folders to compare")
        base_rev = folder_revision(base_dir, base or f"base ({base_dir})")
        head_rev = folder_revision(head_dir, head or f"head ({head_dir})")
        params = folder_param_changes(base_rev, head_rev)
        metrics = folder_metric_rows(base_rev, head_rev)
        return _write(Comparison(base_rev, head_rev, params, metrics, []), out, top_intents, image_url)
    if base is None:
        raise UserError("give --base REV (a git revision) or --base-dir and --head-dir (two result folders)")
    from dvc.exceptions import NotDvcRepoError
    from dvc.repo import Repo

    try:
        repo = Repo(str(root) if root else None)
    except NotDvcRepoError as exc:
        raise UserError(
            f"{root or Path.cwd()}: not inside a DVC repository; run italic-cnn report from the project"
        ) from exc
    with repo:
        if repo.scm.no_commits:
            raise UserError(f"{repo.root_dir}: the git repository has no commits yet; commit a first run to compare")
        base_rev = open_revision(repo, base)
        head_rev = open_revision(repo, head)
        revs = {"a_rev": base_rev.name, "b_rev": head_rev.name}  # "workspace" is DVC's own name for it too
        params = param_changes(repo.params.diff(**revs))
        metrics = metric_rows(repo.metrics.diff(**revs, all=True))
        return _write(Comparison(base_rev, head_rev, params, metrics, []), out, top_intents, image_url)


def _write(comparison: Comparison, out: Path, top_intents: int, image_url: str) -> ReportResult:
    base_rev, head_rev = comparison.base, comparison.head
    comparison.metrics = with_intervals(comparison.metrics, base_rev, head_rev)
    comparison.paired = paired_rows(base_rev, head_rev, comparison.configs)
    comparison.intents = intent_moves(base_rev, head_rev, comparison.configs, top_intents)
    images: dict[str, list[tuple[str, str]]] = {}
    written: list[Path] = []
    for config in comparison.configs:
        for kind, draw in (("curves", draw_curves), ("confusion", draw_confusions)):
            target = out.with_name(f"{out.stem}-{config}-{kind}.png")
            if draw(base_rev, head_rev, config, target):
                images.setdefault(config, []).append((f"{config} {kind}", image_url + target.name))
                written.append(target)
    with atomic_file(out) as handle:
        handle.write(render(comparison, images))
    return ReportResult(comparison, out, written)
