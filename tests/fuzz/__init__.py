"""Fuzz corpus for Gongkai's data files (see corpus.py and tests/test_fuzz.py)."""
