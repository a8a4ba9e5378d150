"""The student side of class mode, copied into the ``trainerlab-student`` wheel (no project imports)."""
