"""Procedural documents (具结书, 量刑建议书 …) rendered from templates."""
