"""Judgment corpus stored in the database, wrapping ``leniency.judgments``."""
