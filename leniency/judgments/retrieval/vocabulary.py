"""The legal vocabulary: the character bigrams of the Criminal Law and of the sentencing guidelines.

A query's facts mix the legally decisive elements (入户, 轻伤二级, 醉酒, 甲基苯丙胺, 数额较大 …) with narrative that
no other case shares (names, places, dates). Keeping only the query bigrams that the statute and the guidelines also
use leaves the vocabulary in which key elements and circumstances are written. The texts are read at run time from
the shared law directory (they are not part of the repository).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from .bm25 import ngram_codes

LAW_SOURCES = ("criminal-law.md", "sentencing-guidelines-2021.md")
LAW_DIRECTORY_VARIABLE = "LENIENCY_SHARED_LAW"
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")


def law_directory() -> Path | None:
    """$LENIENCY_SHARED_LAW, else law/ next to $LENIENCY_SHARED_DATA, else ../shared/law beside the repository."""
    candidates: list[Path] = []
    if os.environ.get(LAW_DIRECTORY_VARIABLE):
        candidates.append(Path(os.environ[LAW_DIRECTORY_VARIABLE]))
    if os.environ.get("LENIENCY_SHARED_DATA"):
        candidates.append(Path(os.environ["LENIENCY_SHARED_DATA"]).parent / "law")
    candidates.append(Path(__file__).resolve().parents[4] / "shared" / "law")
    for directory in candidates:
        if all((directory / name).is_file() for name in LAW_SOURCES):
            return directory
    return None


def han_bigrams(text: str) -> np.ndarray:
    """Distinct bigrams of ``text`` made of two Chinese characters (no digit, Latin letter or punctuation)."""
    return np.unique(ngram_codes(_NOT_HAN.sub("|", text), 2))


@lru_cache(maxsize=4)
def legal_bigrams(directory: Path) -> np.ndarray:
    """Sorted distinct Chinese bigrams of the law sources in ``directory``."""
    text = "|".join((directory / name).read_text(encoding="utf-8") for name in LAW_SOURCES)
    return han_bigrams(text)
