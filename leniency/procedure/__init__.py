"""procedure core package (pure Python, no Django)."""
