"""nbgrader on the hub, for students: the shared exchange and who the student is."""

import os

from nbgrader.utils import get_osusername

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets

c.Exchange.root = os.environ["TRAINERLAB_EXCHANGE"]
c.Exchange.path_includes_course = True  # several courses share one exchange without clashing
c.CourseDirectory.course_id = os.environ["TRAINERLAB_COURSE_ID"]
# nbgrader names a submission after the system user (or JUPYTERHUB_USER for `jovyan`, as on
# Kubernetes). When every server runs as one system user (the simple spawner), name it after the
# hub user instead, or every student would submit as the same person.
user = os.environ.get("JUPYTERHUB_USER")
if user and get_osusername() not in (user, "jovyan"):
    c.CourseDirectory.student_id = user
