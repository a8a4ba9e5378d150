"""Whole answers of each bank task (``CASES`` of ``tests/bank_corpus/<task id>.py``), see ``tests/bank_runs.py``."""
