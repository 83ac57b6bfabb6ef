"""judgments core package (pure Python, no Django)."""
