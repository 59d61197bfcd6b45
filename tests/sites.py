"""A site of its own, for tests that need other processes: `manage.py` run in subprocesses.

The suite's database is SQLite in memory (or PostgreSQL's test database, inside each test's
transaction), which no other process can see. A FileSite has a file SQLite database in a
temporary folder, and a settings module there that adds the test's settings to the project's,
so it works the same whatever database the suite itself runs on.
"""

import os
import subprocess
import sys

from django.conf import settings


class FileSite:
    def __init__(self, folder, **extra_settings):
        self.folder = folder
        self.database = folder / "site.sqlite3"
        lines = ["from config.settings import *  # noqa: F403"]
        lines += [f"{name} = {value!r}" for name, value in extra_settings.items()]
        (folder / "site_settings.py").write_text("\n".join(lines) + "\n")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_settings",
            "PYTHONPATH": os.pathsep.join([str(folder), str(settings.BASE_DIR)]),
            "DATABASE_URL": f"sqlite:///{self.database}",
            "DJANGO_DEBUG": "1",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, never a site's

    def manage(self, *args, check=True, answer=None):
        """Run `manage.py ARGS` with `answer` as its input; return the finished process.

        With `check`, a command that fails fails the test, with its output.
        """
        run = subprocess.run(
            [sys.executable, "manage.py", *map(str, args)], input=answer,
            cwd=settings.BASE_DIR, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if check:
            assert run.returncode == 0, f"manage.py {' '.join(map(str, args))} failed:\n{run.stdout}{run.stderr}"
        return run

    def shell(self, code):
        """Run Python code with the site's settings; return what it printed."""
        return self.manage("shell", "--no-imports", "--command", code).stdout

    def start(self, *args):
        """Start `manage.py ARGS` in the background, its output to a log file in the folder."""
        log = (self.folder / f"{args[0]}.log").open("w")
        return subprocess.Popen(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def log(self, command):
        return (self.folder / f"{command}.log").read_text()
