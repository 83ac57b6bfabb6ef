"""extraction core package (pure Python, no Django)."""
