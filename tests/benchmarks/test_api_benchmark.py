"""The API, a mixed load and a worker's memory, measured under gunicorn with 2 workers; prints figures.

Each runs api_load.py against a database of its own: on PostgreSQL when DATABASE_URL points at a
server (a database made and dropped here), else on a new SQLite file. The load test runs on both
when it can. Asserts only what must hold for the figures to mean anything: no request failed and
no write answered 2xx was lost. MARGINALIA_BENCH_SECONDS (default 5) is each API figure's length,
MARGINALIA_LOAD_SECONDS (default 20; the issue's figure is 60) the load test's.
"""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(__file__).with_name("api_load.py")
SECONDS = os.environ.get("MARGINALIA_BENCH_SECONDS", "5")
LOAD_SECONDS = os.environ.get("MARGINALIA_LOAD_SECONDS", "20")


def postgresql_server():
    server = os.environ.get("DATABASE_URL", "")
    return server if server.startswith(("postgres://", "postgresql://")) else None


@contextlib.contextmanager
def database(kind, tmp_path, suffix):
    """A fresh database's URL: a PostgreSQL database of its own (dropped after), or a new SQLite file."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'{suffix}.sqlite3'}"
        return
    import psycopg

    server = postgresql_server()
    name = server.rsplit("/", 1)[1].split("?")[0] + f"_{suffix}"
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            pytest.skip(f"the database {name} exists: another run may be using it")
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(database_url, *arguments):
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(settings.BASE_DIR)}
    command = [sys.executable, str(SCRIPT.relative_to(settings.BASE_DIR)), *arguments]
    done = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=1800)
    shown = " ".join(["DATABASE_URL=…", *command[1:]])
    print(f"\n$ {shown}\n{done.stdout.strip()}")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]


def default_kind():
    return "postgresql" if postgresql_server() else "sqlite"


def test_api_creates_and_pages_under_gunicorn(tmp_path):
    with database(default_kind(), tmp_path, "api") as url:
        run(url, "api", "--seconds", SECONDS)


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_a_mixed_load_of_sixteen_clients_loses_nothing(tmp_path, kind):
    if kind == "postgresql" and not postgresql_server():
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    with database(kind, tmp_path, "load") as url:
        run(url, "load", "--seconds", LOAD_SECONDS)


def test_a_workers_peak_memory_serving_the_5000_note_reading_page(tmp_path):
    with database(default_kind(), tmp_path, "memory") as url:
        run(url, "memory", "--notes", "5000")
