"""Errors of the sentencing engine (messages in Chinese, naming the field)."""

from __future__ import annotations


class FactsError(ValueError):
    """The facts are invalid or lack what the rules need; the message is Chinese and names the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
