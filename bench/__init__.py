"""Wegwijs benchmarks (`make bench`): numbers live here, never in timed unit tests."""
