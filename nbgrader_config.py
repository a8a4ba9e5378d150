"""nbgrader configuration for the AI Trainer Lab course (run nbgrader from the repository root)."""

from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    OverwriteCells,
    OverwriteKernelspec,
)

from trainerlab.classmode.config import configure_class_mode
from trainerlab.grading.courseconfig import tools_on_path
from trainerlab.grading.feedback import TEMPLATE, TEMPLATES, TaskFeedback
from trainerlab.grading.hiddentests import RestoreHiddenTests
from trainerlab.grading.results import REPORT_FILE
from trainerlab.runtime import cap_threads

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets

# The course is the folder of this file, whichever folder nbgrader (or JupyterLab) starts in.
COURSE = Path(__file__).resolve().parent

# Grading kernels inherit one math-library thread each (see trainerlab/runtime.py).
cap_threads()
# nbgrader runs `alembic` by name when it creates the gradebook: found even if the venv was never activated.
tools_on_path()

c.CourseDirectory.root = str(COURSE)
c.CourseDirectory.source_directory = "labs"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = f"sqlite:///{(COURSE / 'gradebook.db').as_posix()}"
# Lab deliverables are written to output/; never copy a learner's outputs back into a release.
# trainerlab grade-class's report beside an autograded notebook is internal: never copied into feedback.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "output", REPORT_FILE]

# A test cell that runs longer than this is stopped and scores zero (an infinite loop never hangs
# the class); the kernel is interrupted, not left running.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
# Short tracebacks: feedback shows the message, not the source lines of hidden tests.
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal", "--HistoryManager.hist_file=:memory:"]

# Untouched test cells get their hidden tests back before nbgrader compares checksums, so only a
# locked cell the learner really edited is reported ("checksum ... has changed!") and restored.
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreHiddenTests,
                                      OverwriteCells, CheckCellMetadata]

# A class course (docs/class-mode.md): each student is graded on the data variant of their own seed,
# derived from the course secret, and answers reaching into the grader are held for review; without a
# secret file (trainerlab course secret) this does nothing.
configure_class_mode(c, COURSE)

# A learner who deleted a graded or locked cell gets it back from the source before grading.
c.OverwriteCells.add_missing_cells = True

# Outputs are capped so a runaway print cannot bloat the gradebook or feedback.
c.LimitOutput.max_lines = 400
c.LimitOutput.max_traceback = 40

# Feedback never shows hidden tests; it names every task with its points, lists written answers not
# graded yet as pending with their rubric and totals the skill units (trainerlab/grading/feedback.py).
c.GenerateFeedback.preprocessors = [GetGrades, TaskFeedback, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
c.HTMLExporter.template_name = TEMPLATE
c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]

# Bilingual placeholders in the student version.
c.ClearSolutions.code_stub = {"python": "# 在此作答 / YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "在此作答 / YOUR ANSWER HERE"
