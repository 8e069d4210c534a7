"""Errors a user can cause. Their message is the one line the CLI prints (exit code 2)."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; the message names the file or field and the fix."""


class ParamsError(UserError, ValueError):
    """A bad params.yaml value; its message is the one line the user sees."""


class StageParamsError(ParamsError):
    """A bad params value found once a stage runs, deep in code that no longer knows which file it came
    from: the message starts at the key, and the CLI puts the `--params` file in front, so a sweep's
    `--params sweep-3.yaml` never sends the user to fix params.yaml."""


class DataError(UserError):
    """Input data that cannot be used as it is (missing folder, bad split file, unknown intent, ...)."""


class SourceError(UserError):
    """A data source that cannot be reached (hub token, gated dataset, offline, no Parquet export)."""
