"""Class mode: a student environment for graded courses that cannot hand out the answer key.

* :mod:`~trainerlab.classmode.secret` — the course secret and each student's seed per lab (HMAC-SHA256).
* :mod:`~trainerlab.classmode.seeding` — the nbgrader preprocessor grading each student on their own seed.
* :mod:`~trainerlab.classmode.reach` — at grading, answers that reach into the grader are held for review.
* :mod:`~trainerlab.classmode.config` — both steps added to a course's ``nbgrader_config.py``.
* :mod:`~trainerlab.classmode.handout` — what each lab's notebook reads from ``q``, written as files.
* :mod:`~trainerlab.classmode.studentenv` — ``trainerlab course student-env``: the wheel and the
  students' folders (the wheel written by :mod:`~trainerlab.classmode.wheel`).

``docs/class-mode.md`` is the threat model.
"""
