"""DESIGN.md: 16 concurrent writers, zero errors, zero lost writes — also beside a hostile request.

Runs concurrent_writers.py on a fresh SQLite file, and on PostgreSQL too when DATABASE_URL points
at a server (in a database of its own, made and dropped here). While the 16 writers write, one
client posts the worst Markdown found (every shape of tests/hostile_markdown.py, 10,000
characters each); the script prints the writes done, the errors and each hostile post's time.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

HOSTILE = ["unclosed [", "[]( repeated", "<a repeated", "unclosed ![", "escaped backticks", "setext headings",
           "one-column table and definitions", "<b> then comments", "nested list markers"]  # fmt: skip


def run_writers(database_url, *arguments):
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(settings.BASE_DIR)}
    script = Path(__file__).with_name("concurrent_writers.py")
    return subprocess.run(
        [sys.executable, str(script), *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_sixteen_writers_on_one_sqlite_file_lose_nothing_beside_a_hostile_poster(tmp_path):
    run = run_writers(f"sqlite:///{tmp_path / 'writers.sqlite3'}", "--hostile", *HOSTILE)
    print("\n" + run.stdout.strip())
    assert run.returncode == 0, run.stdout + run.stderr


def test_sixteen_writers_on_postgresql_lose_nothing_beside_a_hostile_poster():
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    import psycopg

    name = server.rsplit("/", 1)[1].split("?")[0] + "_writers"
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            pytest.skip(f"the database {name} exists: another run may be using it")
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        run = run_writers(server.rsplit("/", 1)[0] + f"/{name}", "--hostile", *HOSTILE)
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("\n" + run.stdout.strip())
    assert run.returncode == 0, run.stdout + run.stderr
