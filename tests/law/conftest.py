"""Fixtures of the rule-data tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leniency.law.loader import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rule data, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
