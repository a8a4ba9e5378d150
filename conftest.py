"""Root pytest configuration, shared by tests/ and the nbval runs of labs/."""

from trainerlab.runtime import cap_threads

cap_threads()
