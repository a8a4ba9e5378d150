"""Grading engine and per-lab checks of AI Trainer Lab (plain Python, used by the test cells)."""
