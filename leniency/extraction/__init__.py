"""Fact extraction (pure Python, no Django): Chinese case text in, one defendant's sentencing facts out."""

from leniency.extraction.extractor import extract
from leniency.extraction.model import Evidence, Extraction

__all__ = ["Evidence", "Extraction", "extract"]
