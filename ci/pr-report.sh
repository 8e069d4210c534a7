#!/usr/bin/env bash
# ci/pr-report.sh BASE HEAD OUT: the pipeline at two git revisions, each in its own git worktree (this
# repository's checkout is never touched, dirty or not), sharing this repository's DVC cache (a stage
# one side already ran is restored, not re-run); then OUT/report.md compares the two result folders,
# with the PNGs beside it and each side's params.yaml and results/ under OUT/base and OUT/head.
#
#   ci/pr-report.sh origin/main HEAD pr-report
#
# Each side runs its own code (PYTHONPATH points into its worktree) with the tools on PATH. A base
# whose pipeline fails still gets a report: its configs show as missing. Exit 2 on bad arguments.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: ci/pr-report.sh BASE HEAD OUT" >&2
  exit 2
fi
base=$1 head=$2 out=$3
repo=$(git rev-parse --show-toplevel)
resolve() {
  git -C "$repo" rev-parse --verify --quiet "$1^{commit}" || {
    echo "error: '$1' is not a git revision of $repo (fetch it first: git fetch origin main)" >&2
    exit 2
  }
}
base_sha=$(resolve "$base")
head_sha=$(resolve "$head")
cache=$(cd "$repo" && dvc cache dir)
work=$(mktemp -d "${TMPDIR:-/tmp}/pr-report.XXXXXX")
cleanup() {
  for side in base head; do
    git -C "$repo" worktree remove --force "$work/$side" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)

run_side() {  # side sha
  local side=$1 sha=$2 tree="$work/$1"
  git -C "$repo" worktree add --detach --quiet "$tree" "$sha"
  rm -rf "${out:?}/$side"
  mkdir -p "$out/$side"
  (
    cd "$tree"
    dvc cache dir --local "$cache"
    PYTHONPATH="$tree${PYTHONPATH:+:$PYTHONPATH}" dvc repro --quiet
  ) || echo "warning: the pipeline failed at $side ($sha); the report shows what it left" >&2
  cp "$tree/params.yaml" "$out/$side/" 2>/dev/null || true
  if [ -d "$tree/results" ]; then cp -r "$tree/results" "$out/$side/"; else mkdir -p "$out/$side/results"; fi
}
run_side base "$base_sha"
run_side head "$head_sha"
PYTHONPATH="$work/head${PYTHONPATH:+:$PYTHONPATH}" italic-cnn report \
  --base "$base (${base_sha:0:7})" --head "$head (${head_sha:0:7})" \
  --base-dir "$out/base" --head-dir "$out/head" --out "$out/report.md" ${IMAGE_URL:+--image-url "$IMAGE_URL"}
