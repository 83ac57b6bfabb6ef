"""law core package (pure Python, no Django)."""
