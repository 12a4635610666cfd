"""Benchmarks of the three hot paths, each against a baseline measured in the same run."""
