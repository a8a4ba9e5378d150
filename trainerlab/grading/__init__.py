"""Grading tools that nbgrader lacks: self-grading, fast class grading, skill-unit reports.

Commands (:mod:`~trainerlab.grading.commands` registers them on ``trainerlab``):

* :mod:`~trainerlab.grading.selfgrade` — ``trainerlab grade NOTEBOOK``: a learner grades their
  own working copy against the hidden tests of its source lab, without an instructor.
* :mod:`~trainerlab.grading.classgrade` — ``trainerlab grade-class ASSIGNMENT``: parallel,
  resumable autograding of nbgrader's ``submitted/`` folders into the course's own gradebook.
* :mod:`~trainerlab.grading.report` (figures in :mod:`~trainerlab.grading.charts`) —
  ``trainerlab report``: results per skill unit of the standard, from the gradebook.

How one submission is graded:

* :mod:`~trainerlab.grading.worker` runs nbgrader's own ``Autograde`` converter in a throw-away
  course with a copy of the gradebook, after :mod:`~trainerlab.grading.intake` has repaired or
  rejected the submitted files;
* :mod:`~trainerlab.grading.execute` replaces nbgrader's ``Execute`` step: the kernel starts in
  the :mod:`~trainerlab.grading.sandbox` under :class:`~trainerlab.grading.limits.Limits`, and
  every autograded answer crosses to the grader as data only (:mod:`~trainerlab.grading.answerdata`)
  and is re-checked outside the kernel by :mod:`~trainerlab.grading.integrity`;
* :mod:`~trainerlab.grading.gradebook` writes the result where ``nbgrader autograde`` would;
  :mod:`~trainerlab.grading.results` describes it; :mod:`~trainerlab.grading.guard` watches the
  grading files where Landlock is missing; :mod:`~trainerlab.grading.courseconfig` reads
  ``nbgrader_config.py`` like nbgrader does.

:mod:`~trainerlab.grading.democlass` builds made-up classes for the benchmark and the tests.
This ``__init__`` imports nothing: the kernel launcher (``sandbox``) must start fast.
"""
