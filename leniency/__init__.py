"""Leniency: an open platform for China's guilty-plea leniency system (认罪认罚从宽制度)."""

__version__ = "0.1.0"
