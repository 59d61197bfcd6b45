"""DESIGN.md: 16 concurrent writers on SQLite, zero "database is locked", zero lost notes."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_sixteen_writers_on_one_sqlite_file_lose_nothing(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'writers.sqlite3'}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    script = Path(__file__).with_name("concurrent_writers.py")
    run = subprocess.run(
        [sys.executable, str(script)], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    print("\n" + run.stdout.strip())
    assert run.returncode == 0, run.stdout + run.stderr
