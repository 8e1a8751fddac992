"""Benchmark tooling: ``make bench`` (``run.py``) and the by-the-docs ``baseline`` project it
measures this one against. Not part of the application."""
