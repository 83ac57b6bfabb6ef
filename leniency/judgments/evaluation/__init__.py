"""Measuring sentence recommendations against what courts actually did."""
