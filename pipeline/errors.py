"""Errors a user can cause. Their message is the one line the CLI prints (exit code 2)."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; the message names the file or field and the fix."""


class ParamsError(UserError, ValueError):
    """A bad params.yaml value; its message is the one line the user sees."""


class DataError(UserError):
    """Input data that cannot be used as it is (missing folder, bad split file, unknown intent, ...)."""


class SourceError(UserError):
    """A data source that cannot be reached (hub token, gated dataset, offline, no Parquet export)."""
