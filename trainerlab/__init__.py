"""AI Trainer Lab: practice labs for China's AI-trainer skill standard (L3/L2/L1)."""

__version__ = "0.1.0"
