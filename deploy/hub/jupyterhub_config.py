"""JupyterHub for an AI Trainer Lab course: instructors and students on one machine (docs/hub.md).

Run from a checkout installed with ``pip install -e ".[hub]"`` and the proxy from npm
(``npm install --prefix .ci/node configurable-http-proxy``, or ``TRAINERLAB_HUB_PROXY``)::

    TRAINERLAB_HUB_ROOT=/srv/trainerlab \\
    TRAINERLAB_GRADEBOOK_URL=postgresql+psycopg://trainerlab@127.0.0.1/gradebook \\
    jupyterhub -f deploy/hub/jupyterhub_config.py

Everything is set from the environment, so one file serves a real course and the end-to-end test:

``TRAINERLAB_HUB_ROOT``       the course's folder on this machine: ``home/<user>/`` (each user's files;
                              an instructor's course is ``home/<user>/course/``), ``exchange/``
                              (nbgrader's exchange) and the hub's own state.
``TRAINERLAB_COURSE_ID``      nbgrader's course id (default ``trainerlab-l3``).
``TRAINERLAB_GRADEBOOK_URL``  the course's gradebook; default ``sqlite:///`` in the instructor's course.
``TRAINERLAB_HUB_DB_URL``     the hub's own database (default SQLite in ``TRAINERLAB_HUB_ROOT``).
``TRAINERLAB_INSTRUCTORS``    user names put in the ``instructors`` group at start (more can be added
                              with the hub's REST API or admin page: membership is read at each spawn).
``TRAINERLAB_HUB_SPAWNER``    ``simple`` (default): every server runs as the hub's own system user, in
                              ``home/<user>`` (runs as root and as a normal user; what CI runs), or
                              ``local``: each user is a system user of that name (the hub runs as root).
``TRAINERLAB_HUB_TEST_AUTH``  ``1``: DummyAuthenticator, any password logs in — for tests only.
``TRAINERLAB_HUB_SERVICE_TOKEN``  an API token for the ``trainerlab-course`` service (user, group and
                              server administration, access to the servers): what scripts and the
                              test use.
``TRAINERLAB_HUB_IP`` / ``_PORT`` / ``_API_PORT`` / ``TRAINERLAB_PROXY_API_PORT``  where to listen
                              (default 127.0.0.1:8000, hub API 8081, proxy API 8001).
"""

import os
import shutil
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner

c = get_config()  # noqa: F821 - provided by JupyterHub

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent.parent
ROOT = Path(os.environ.get("TRAINERLAB_HUB_ROOT", "/srv/trainerlab")).resolve()
HOMES, EXCHANGE = ROOT / "home", ROOT / "exchange"
COURSE_ID = os.environ.get("TRAINERLAB_COURSE_ID", "trainerlab-l3")
INSTRUCTORS_GROUP = "instructors"
SIMPLE = os.environ.get("TRAINERLAB_HUB_SPAWNER", "simple") == "simple"

HOMES.mkdir(parents=True, exist_ok=True)
EXCHANGE.mkdir(parents=True, exist_ok=True)
# nbgrader's exchange: everyone releases and submits here (students may write, not list, inbound/)
EXCHANGE.chmod(0o777)

# --- where the hub listens, its state --------------------------------------------------------------
c.JupyterHub.ip = os.environ.get("TRAINERLAB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("TRAINERLAB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("TRAINERLAB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('TRAINERLAB_PROXY_API_PORT', '8001')}"
PROXY = CHECKOUT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [os.environ.get("TRAINERLAB_HUB_PROXY", str(PROXY))]
c.JupyterHub.db_url = os.environ.get("TRAINERLAB_HUB_DB_URL", f"sqlite:///{ROOT / 'jupyterhub.sqlite'}")
c.JupyterHub.cookie_secret_file = str(ROOT / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(ROOT / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(ROOT / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every server it started

# --- who logs in -------------------------------------------------------------------------------------
if os.environ.get("TRAINERLAB_HUB_TEST_AUTH") == "1":
    print("WARNING: TRAINERLAB_HUB_TEST_AUTH=1 — DummyAuthenticator: anyone can log in as anyone. "
          "Tests only; never on a reachable address.", file=sys.stderr)
    c.JupyterHub.authenticator_class = "dummy"
else:
    c.JupyterHub.authenticator_class = "pam"  # the machine's accounts; on Kubernetes see docs/hub.md
c.Authenticator.allow_existing_users = True  # users added by an admin (REST API or admin page) may log in
if os.environ.get("TRAINERLAB_INSTRUCTORS"):
    c.JupyterHub.load_groups = {INSTRUCTORS_GROUP: {
        "users": [u.strip() for u in os.environ["TRAINERLAB_INSTRUCTORS"].split(",") if u.strip()]}}

token = os.environ.get("TRAINERLAB_HUB_SERVICE_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "trainerlab-course", "api_token": token}]
    c.JupyterHub.load_roles = [{
        "name": "trainerlab-course", "services": ["trainerlab-course"],
        "scopes": ["admin:users", "admin:groups", "admin:servers", "access:servers", "tokens"]}]

# --- the servers -------------------------------------------------------------------------------------
c.JupyterHub.spawner_class = SimpleLocalProcessSpawner if SIMPLE else LocalProcessSpawner
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
# one math-library thread per kernel (trainerlab/runtime.py): many learners share few cores
c.Spawner.environment = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                         "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1",
                         "TRAINERLAB_EXCHANGE": str(EXCHANGE), "TRAINERLAB_COURSE_ID": COURSE_ID}
if SIMPLE:
    c.Spawner.environment["TRAINERLAB_ONE_SYSTEM_USER"] = "1"  # deploy/hub/*/nbgrader_config.py
    if os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]


def new_course(course: Path) -> None:
    """An instructor's course folder: the labs of this checkout and the hub course's nbgrader config."""
    course.mkdir(parents=True)
    shutil.copy(HERE / "course_nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(CHECKOUT / "labs", course / "labs",
                    ignore=shutil.ignore_patterns("output", ".ipynb_checkpoints", "__pycache__"))


def prepare(spawner: LocalProcessSpawner) -> None:
    """Give an instructor the course (made on first start) and the gradebook; a student the exchange."""
    name = spawner.user.name
    home = HOMES / name if SIMPLE else Path(os.path.expanduser(f"~{name}"))  # a system user's own home
    if SIMPLE:
        home.mkdir(parents=True, exist_ok=True)
    instructor = any(group.name == INSTRUCTORS_GROUP for group in spawner.user.groups)
    role = "instructor" if instructor else "student"
    spawner.environment["JUPYTER_CONFIG_PATH"] = str(HERE / role)
    if instructor:
        course = home / "course"
        if not course.exists():
            new_course(course)
            if not SIMPLE:  # made by the hub (root): the instructor's own files
                for path in [course, *course.rglob("*")]:
                    shutil.chown(path, name)
        spawner.notebook_dir = str(course)
        spawner.environment["TRAINERLAB_COURSE_ROOT"] = str(course)
        if os.environ.get("TRAINERLAB_GRADEBOOK_URL"):
            spawner.environment["TRAINERLAB_GRADEBOOK_URL"] = os.environ["TRAINERLAB_GRADEBOOK_URL"]
    else:
        spawner.notebook_dir = str(home)


c.Spawner.pre_spawn_hook = prepare
