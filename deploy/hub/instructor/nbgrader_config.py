"""nbgrader on the hub, for instructors: the shared exchange and the course folder.

Formgrader reads nbgrader's configuration from the folder its server was started in (the home
folder), not from the course: so the course's own ``nbgrader_config.py`` is loaded from here too,
wherever nbgrader runs (nbgrader's docs: a hub instructor's config names ``CourseDirectory.root``).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets

c.Exchange.root = os.environ["TRAINERLAB_EXCHANGE"]
c.Exchange.path_includes_course = True  # several courses share one exchange without clashing
COURSE = Path(os.environ["TRAINERLAB_COURSE_ROOT"])
load_subconfig(str(COURSE / "nbgrader_config.py"))  # noqa: F821 - its root, gradebook and settings
# With the simple spawner every submission is owned by the one system user all servers run as, so
# nbgrader's owner check ("cheating attempt?") would flag each one: it cannot tell students apart there.
if os.environ.get("TRAINERLAB_ONE_SYSTEM_USER") == "1":
    c.CollectApp.check_owner = False
