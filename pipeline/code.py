"""Which of the project's own source files a command runs, found by reading their imports.

The imports are read from the source, those inside functions included: the commands import their
stage lazily (so `--help` stays fast), and a plain `import` would miss whatever a function imports
only when it is called. Two consumers: the resume fingerprint of `train` (a state saved by other
code is never resumed) and the test that every stage's DVC `deps:` cover the code it runs.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from pathlib import Path

PACKAGE = "pipeline"
PACKAGE_DIR = Path(__file__).resolve().parent
CLI = f"{PACKAGE}.cli"


def file_of(module: str) -> Path | None:
    """`pipeline.train.data` -> its .py file (a package's __init__.py); None if it is not ours."""
    if module != PACKAGE and not module.startswith(PACKAGE + "."):
        return None
    path = PACKAGE_DIR.joinpath(*module.split(".")[1:])
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


def imports_in(tree: ast.AST) -> set[str]:
    """Every project module an AST imports, at any depth (`from pipeline import alphabet` counts as
    `pipeline.alphabet` where that is a module)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if file_of(name) is not None}


def closure(modules: Iterable[str]) -> set[Path]:
    """The files of `modules`, of every project module they import, recursively, and of the
    packages around them (Python runs each parent's __init__.py first). Of cli.py only the top-level
    imports count: each command's own imports are in its function (`command_files`)."""
    todo, seen = list(modules), set()
    while todo:
        module = todo.pop()
        if module in seen or file_of(module) is None:
            continue
        seen.add(module)
        parts = module.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        tree = ast.parse(file_of(module).read_text())  # type: ignore[union-attr]
        if module == CLI:
            tree = ast.Module(
                body=[n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))], type_ignores=[]
            )
        todo += imports_in(tree)
    return {file_of(module) for module in seen}  # type: ignore[misc]


def command_files(command: str) -> set[Path]:
    """The files `italic-cnn <command>` runs: cli.py with its top-level imports, plus everything the
    command's function imports."""
    tree = ast.parse((PACKAGE_DIR / "cli.py").read_text())
    function = next(
        (node for node in tree.body if isinstance(node, ast.FunctionDef) and _command_name(node) == command), None
    )
    if function is None:
        raise KeyError(f"pipeline/cli.py has no command {command!r}")
    return closure({CLI, f"{PACKAGE}.__main__", *imports_in(function)})


def _command_name(node: ast.FunctionDef) -> str | None:
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call else decorator
        if isinstance(target, ast.Attribute) and target.attr == "command":
            named = [a.value for a in (call.args if call else []) if isinstance(a, ast.Constant)]
            return named[0] if named else node.name.replace("_", "-")
    return None


def fingerprint(files: Iterable[Path]) -> str:
    """A hash of the files' paths (relative to the package) and contents."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
