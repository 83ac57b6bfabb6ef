"""Where the development judgments are: ../shared/data (or $LENIENCY_SHARED_DATA), read at run time only."""

from __future__ import annotations

import os
from pathlib import Path

from leniency.config.env import BASE_DIR

SENTENCING_FILE = "sentencing.dev.jsonl.xz"


def shared_data_dir() -> Path | None:
    env = os.environ.get("LENIENCY_SHARED_DATA")
    for path in ([Path(env)] if env else []) + [BASE_DIR.parent / "shared" / "data"]:
        if path.is_dir():
            return path
    return None


def default_sentencing_file() -> Path | None:
    base = shared_data_dir()
    if base is None or not (base / SENTENCING_FILE).is_file():
        return None
    return base / SENTENCING_FILE
