"""Settings: SQLite tuned for concurrent writers, production checks, CSP, DATABASE_URL."""

import json
import os
import re
import string
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.template.loader import render_to_string

from reader.models import Article

ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
needs_sqlite = pytest.mark.skipif(not ON_SQLITE, reason="the default database is not SQLite (DATABASE_URL is set)")

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": (string.ascii_letters + string.digits)[:50],
    "DJANGO_ALLOWED_HOSTS": "example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # checks do not connect; production needs it for the throttles
}


def run_python(*args, **env):
    """Run Python in the project folder with the given environment changes (None removes a variable)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, never a deploy's
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def sqlite_file(tmp_path):
    """Open wrappers on a file database configured exactly like the default one; close them after."""
    opened = []

    def open_wrapper(alias, **options):
        settings_dict = {
            **connections["default"].settings_dict,
            "NAME": str(tmp_path / "p.sqlite3"),
            "OPTIONS": {**settings.DATABASES["default"]["OPTIONS"], **options},
        }
        wrapper = DatabaseWrapper(settings_dict, alias=alias)
        wrapper.ensure_connection()
        opened.append(wrapper)
        return wrapper

    yield open_wrapper
    for wrapper in opened:
        wrapper.close()


def pragma(wrapper, name):
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


# SQLite


@needs_sqlite
@pytest.mark.django_db
def test_sqlite_connection_uses_wal_normal_sync_and_a_busy_timeout(sqlite_file):
    wrapper = sqlite_file("pragma-check")
    assert pragma(wrapper, "journal_mode") == "wal"
    assert pragma(wrapper, "synchronous") == 1  # NORMAL
    assert pragma(wrapper, "busy_timeout") == settings.DATABASES["default"]["OPTIONS"]["timeout"] * 1000
    assert wrapper.transaction_mode == "IMMEDIATE"


@needs_sqlite
@pytest.mark.django_db
def test_second_writer_waits_for_the_busy_timeout_instead_of_failing_at_once(sqlite_file):
    first = sqlite_file("first-writer")
    second = sqlite_file("second-writer", timeout=0.3)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE note (body TEXT)")
    connections["first-writer"], connections["second-writer"] = first, second
    try:
        with transaction.atomic(using="first-writer"):
            # BEGIN IMMEDIATE takes the write lock before any write, so the second writer queues.
            started = time.monotonic()
            with pytest.raises(OperationalError, match="locked"), transaction.atomic(using="second-writer"):
                pass
            assert time.monotonic() - started >= 0.25
    finally:
        del connections["first-writer"], connections["second-writer"]


@needs_sqlite
@pytest.mark.django_db
def test_second_writer_gets_the_lock_once_the_first_commits(sqlite_file):
    first = sqlite_file("first-writer")
    second = sqlite_file("second-writer", timeout=5)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE note (body TEXT)")
    second.inc_thread_sharing()
    connections["first-writer"] = first
    done = []

    def write_later():
        with second.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO note VALUES ('second')")
            cursor.execute("COMMIT")
        done.append(True)

    try:
        with transaction.atomic(using="first-writer"):
            first.cursor().execute("INSERT INTO note VALUES ('first')")
            writer = threading.Thread(target=write_later)
            writer.start()
            time.sleep(0.2)
            assert done == []  # still waiting for the lock
        writer.join(5)
        assert done == [True]
        with first.cursor() as cursor:
            cursor.execute("SELECT body FROM note ORDER BY rowid")
            assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    finally:
        second.dec_thread_sharing()
        del connections["first-writer"]


# Production


def test_deploy_check_is_clean_with_production_settings():
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_with_development_settings():
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


def test_production_settings_refuse_to_load_without_a_secret_key():
    result = run_python("-c", "import config.settings", **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": None})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


PRINT_DATABASE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'], default=str))"
)


def test_postgres_database_url_selects_postgresql_without_sqlite_options():
    result = run_python("-c", PRINT_DATABASE, DATABASE_URL="postgres://reader:secret@db.example.org:5433/marginalia")
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"], database["USER"]) == (
        "marginalia",
        "db.example.org",
        5433,
        "reader",
    )
    assert "transaction_mode" not in database.get("OPTIONS", {})
    assert "init_command" not in database.get("OPTIONS", {})


@pytest.mark.skipif(ON_SQLITE, reason="SQLite has no JIT compiler; this runs when DATABASE_URL is PostgreSQL")
@pytest.mark.django_db
def test_postgresql_connections_run_without_the_jit_compiler_unless_told_to_keep_it(settings):
    def jit_of_a_new_connection():
        fresh = connections.create_connection("default")
        try:
            with fresh.cursor() as cursor:
                cursor.execute("SHOW jit")
                return cursor.fetchone()[0]
        finally:
            fresh.close()

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)  # the suite's own connection
    assert jit_of_a_new_connection() == "off"
    settings.POSTGRES_JIT = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT reset_val FROM pg_settings WHERE name = 'jit'")  # the server's, not the session's
        assert jit_of_a_new_connection() == cursor.fetchone()[0]


def test_postgresql_sends_parameters_apart_and_prepares_repeated_queries_unless_told_not_to():
    url = "postgres://reader:secret@db.example.org:5433/marginalia"
    for switch, options in (
        (None, {"server_side_binding": True, "prepare_threshold": 1}),
        ("1", {"server_side_binding": True, "prepare_threshold": 1}),
        ("0", {}),
    ):
        result = run_python("-c", PRINT_DATABASE, DATABASE_URL=url, MARGINALIA_POSTGRES_PREPARED=switch)
        assert result.returncode == 0, result.stderr
        database = json.loads(result.stdout)
        assert {key: database.get("OPTIONS", {}).get(key) for key in options} == options
        if not options:
            assert not {"server_side_binding", "prepare_threshold"} & set(database.get("OPTIONS", {}))


@pytest.mark.skipif(ON_SQLITE, reason="SQLite has no prepared statements to ask for; this runs on PostgreSQL")
@pytest.mark.skipif(not settings.POSTGRES_PREPARED, reason="MARGINALIA_POSTGRES_PREPARED=0 sends each query whole")
@pytest.mark.django_db
def test_a_query_run_again_on_a_postgresql_connection_is_a_prepared_statement(article):
    query = Article.objects.filter(slug=article.slug)
    for _ in range(2):  # prepared on its second run (psycopg's own default waits for the sixth)
        assert query.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(re.search(r'FROM "reader_article" WHERE "reader_article"."slug" = \$\d', sql) for sql in prepared), (
        prepared
    )


def test_sqlite_database_url_keeps_the_sqlite_options(tmp_path):
    result = run_python("-c", PRINT_DATABASE, DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_no_database_url_means_the_sqlite_file_in_the_project():
    result = run_python("-c", PRINT_DATABASE, DATABASE_URL=None)
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(settings.BASE_DIR / "db.sqlite3")
    assert database["OPTIONS"]["timeout"] > 0


# Content Security Policy


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_error_pages_need_no_inline_styles():
    assert "style-src" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "style=" not in render_to_string("500.html")
