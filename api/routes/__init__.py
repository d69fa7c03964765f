"""Routers under /v1 (and health at the root)."""
