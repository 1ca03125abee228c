"""Endpoint tests, run against both store backends (see conftest.py)."""
