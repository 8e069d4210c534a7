"""Build the report: DVC's params and metrics diffs between the revisions, the per-intent moves, the
PNGs, and the markdown that links them, each file written atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.atomic import atomic_file
from pipeline.errors import UserError
from pipeline.report.compare import Comparison, intent_moves, metric_rows, param_changes
from pipeline.report.figures import draw_confusions, draw_curves
from pipeline.report.markdown import render
from pipeline.report.revision import open_revision


@dataclass
class ReportResult:
    comparison: Comparison
    out: Path
    images: list[Path]

    def summary(self) -> str:
        verdicts = [row.verdict for row in self.comparison.metrics]
        counts = ", ".join(f"{verdicts.count(v)} {v}" for v in ("better", "worse", "same", "new", "removed"))
        return (
            f"report: {self.comparison.head.label} against {self.comparison.base.label}; "
            f"{len(self.comparison.params)} params changed; {len(verdicts)} test metrics ({counts}); "
            f"{len(self.images)} images -> {self.out}"
        )


def build_report(
    base: str, head: str | None, out: Path, top_intents: int = 5, root: Path | None = None, image_url: str = ""
) -> ReportResult:
    """`image_url` prefixes the image links, for a comment whose PNGs are published elsewhere."""
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
        comparison = Comparison(base_rev, head_rev, params, metrics, [])
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
