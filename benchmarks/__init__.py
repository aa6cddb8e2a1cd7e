"""Benchmarks against the figures of issue 2 ("Numbers"); each runs as `python -m benchmarks.X`."""
