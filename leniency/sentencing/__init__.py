"""sentencing core package (pure Python, no Django)."""
