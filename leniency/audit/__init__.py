"""The append-only, hash-chained audit trail: the bottom Django app every other app may write to."""
