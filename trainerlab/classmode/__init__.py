"""Class mode: a student environment for graded courses that cannot hand out the answer key.

* :mod:`~trainerlab.classmode.secret` — the course secret and each student's seed per lab (HMAC-SHA256).
* :mod:`~trainerlab.classmode.seeding` — the nbgrader preprocessor grading each student on their own seed.
* :mod:`~trainerlab.classmode.handout` — what each lab's notebook reads from ``q``, written as files.
* :mod:`~trainerlab.classmode.studentenv` — ``trainerlab course student-env``: the wheel and the
  students' folders.

``docs/class-mode.md`` is the threat model.
"""
