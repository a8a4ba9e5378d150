"""Timed mock exams on the L3 blueprint, drawn from the task bank (``graders/bank/``, ``bank/``).

``draw`` picks a paper, ``paper`` composes its notebook and nbgrader course, ``session`` runs an
attempt against a replaceable clock (prepare, time left, submit and grade, history), ``classpaper``
writes a paper as an nbgrader assignment for a class, ``newtask`` scaffolds a bank task.
"""
