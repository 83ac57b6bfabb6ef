"""Supervision of how discretion is used: approvals, flags and statistics."""
