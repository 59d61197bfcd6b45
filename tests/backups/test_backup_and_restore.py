"""`manage.py backup` copies the SQLite database while the site writes; `restore` checks a file before using it."""

import sqlite3
import threading
from contextlib import closing
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from backups.sqlite import BackupError, back_up, check_backup
from tests.sites import FileSite

# The backup API cannot copy from a connection inside a transaction, as every test's is with a
# plain django_db; these tests' connection commits for real.
pytestmark = pytest.mark.django_db(transaction=True)

# These back up and restore the suite's own database, which is SQLite unless DATABASE_URL says
# otherwise; on PostgreSQL the commands only point to pg_dump (tested below on any database).
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="backs up the suite's own database, which is not SQLite here"
)


def run(command, *args, **options):
    out = StringIO()
    call_command(command, *map(str, args), stdout=out, **options)
    return out.getvalue()


def query(path, sql, *params):
    with closing(sqlite3.connect(path)) as database:
        return database.execute(sql, params).fetchall()


def change(path, *statements):
    with closing(sqlite3.connect(path, isolation_level=None)) as database:
        for statement in statements:
            database.execute(statement)


@pytest.fixture
def good_backup(tmp_path):
    """A backup of the test database, as `manage.py backup` makes it."""
    path = tmp_path / "good.sqlite3"
    run("backup", path)
    return path


# Backing up ---------------------------------------------------------------------------------


@on_sqlite
def test_the_backup_command_writes_a_checked_copy_and_says_how_to_restore_it(tmp_path):
    destination = tmp_path / "marginalia.sqlite3"
    out = run("backup", destination)
    assert f"Backed up the database to {destination}" in out
    assert f"Restore it with: manage.py restore {destination}" in out
    assert check_backup(destination) == []  # whole, ours, and as new as the code
    assert query(destination, "PRAGMA journal_mode") == [("delete",)]  # one file, no WAL beside it
    assert sorted(path.name for path in tmp_path.iterdir()) == ["marginalia.sqlite3"]


@on_sqlite
def test_a_backup_into_a_folder_gets_a_dated_name(tmp_path):
    run("backup", tmp_path)
    [backup] = tmp_path.iterdir()
    assert backup.name.startswith("marginalia-")
    assert backup.suffix == ".sqlite3"


@on_sqlite
def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "precious.sqlite3"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        run("backup", existing)
    assert existing.read_text() == "keep me"


def test_on_postgresql_backup_and_restore_say_how_to_use_pg_dump_and_pg_restore(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match=r'pg_dump --format=custom --file=site.dump "\$DATABASE_URL"'):
        run("backup", "site.dump")
    with pytest.raises(CommandError, match=r'pg_restore --no-owner --dbname="\$DATABASE_URL" site.dump'):
        run("restore", "site.dump", interactive=False)
    assert list(tmp_path.iterdir()) == []


@on_sqlite
def test_a_backup_taken_while_another_thread_writes_is_whole_and_consistent(tmp_path, good_backup):
    """The writer moves amounts in pairs (+n, -n) in one transaction: a torn copy would not sum to zero."""
    site = tmp_path / "site.sqlite3"
    good_backup.rename(site)
    change(site, "PRAGMA journal_mode=WAL", "CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)")
    with closing(sqlite3.connect(site)) as database, database:
        database.executemany("INSERT INTO ledger (amount) VALUES (?)", [(n,) for n in range(-100_000, 100_001)])
    writes, errors, stop = [], [], threading.Event()

    def write():
        with closing(sqlite3.connect(site, timeout=20, isolation_level=None)) as database:
            while not stop.is_set():
                try:
                    database.execute("BEGIN IMMEDIATE")
                    database.execute("INSERT INTO ledger (amount) VALUES (?), (?)", (len(writes), -len(writes)))
                    database.execute("COMMIT")
                    writes.append(1)
                except sqlite3.Error as error:
                    errors.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(writes) < 50:
            stop.wait(0.01)
        before = len(writes)
        with closing(sqlite3.connect(site, timeout=20)) as database:
            back_up(database, tmp_path / "copy.sqlite3")
        during = len(writes) - before
    finally:
        stop.set()
        writer.join()

    assert errors == []
    assert during > 0, "the writer never wrote while the copy was made"
    [(rows, total)] = query(tmp_path / "copy.sqlite3", "SELECT count(*), sum(amount) FROM ledger")
    assert total == 0
    assert 200_001 + 2 * before <= rows <= 200_001 + 2 * (before + during)


# Restoring: each check refuses, and nothing changes ---------------------------------------------


def refused(backup, message):
    with pytest.raises(CommandError, match=message) as refusal:
        run("restore", backup, interactive=False)
    assert "Nothing was changed." in str(refusal.value)


@on_sqlite
def test_restore_refuses_a_file_that_is_not_there(tmp_path):
    refused(tmp_path / "missing.sqlite3", "No such file")


@on_sqlite
def test_restore_refuses_a_file_that_is_not_an_sqlite_database(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("SQLite? No, a shopping list.\n" * 100)
    refused(text, "is not an SQLite database")


@on_sqlite
def test_restore_refuses_a_damaged_database(good_backup):
    [(page_size,)] = query(good_backup, "PRAGMA page_size")
    [(root,)] = query(good_backup, "SELECT rootpage FROM sqlite_master WHERE name = 'reader_paragraph'")
    with good_backup.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * page_size)
    refused(good_backup, r"is damaged|cannot be read as an SQLite database")


@on_sqlite
def test_restore_refuses_an_sqlite_database_without_a_migrations_table(tmp_path):
    other = tmp_path / "other.sqlite3"
    change(other, "CREATE TABLE songs (title TEXT)")
    refused(other, "has no django_migrations table")


@on_sqlite
def test_restore_refuses_another_django_sites_database(tmp_path, good_backup):
    change(good_backup, "DELETE FROM django_migrations WHERE app = 'reader'")
    refused(good_backup, "is not a Marginalia database")


@on_sqlite
def test_restore_refuses_a_backup_newer_than_the_code(good_backup):
    change(good_backup, "INSERT INTO django_migrations (app, name, applied) VALUES ('annotations', '9999_later', '')")
    refused(good_backup, r"newer than this code: it has migrations the code does not know \(annotations\.9999_later\)")


@on_sqlite
def test_restore_refuses_to_replace_a_database_in_memory(good_backup):
    refused(good_backup, "The database is in memory")


# Backing up and restoring a site that runs -----------------------------------------------------

USERS = "from django.contrib.auth.models import User; print(sorted(User.objects.values_list('username', flat=True)))"


def test_a_site_backed_up_then_changed_is_restored_as_it_was_and_keeps_the_changed_one(tmp_path):
    site = FileSite(tmp_path)
    site.shell(
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.contrib.auth.models import User; User.objects.create_user('alice')"
    )
    site.manage("backup", tmp_path / "monday.sqlite3")
    site.shell("from django.contrib.auth.models import User; User.objects.all().delete(); User(username='eve').save()")

    declined = site.manage("restore", tmp_path / "monday.sqlite3", check=False, answer="no\n")
    assert declined.returncode == 1
    assert "Nothing was changed." in declined.stderr
    assert site.shell(USERS).strip() == "['eve']"

    restored = site.manage("restore", tmp_path / "monday.sqlite3", answer="yes\n")
    assert f"Restored {site.database} from {tmp_path / 'monday.sqlite3'}" in restored.stdout
    assert site.shell(USERS).strip() == "['alice']"
    [before] = tmp_path.glob("site.sqlite3.before-restore-*")
    assert query(before, "SELECT username FROM auth_user") == [("eve",)]


def test_a_backup_from_inside_a_transaction_is_refused_at_once_rather_than_waiting_for_ever(tmp_path):
    with closing(sqlite3.connect(tmp_path / "site.sqlite3")) as database:
        database.execute("CREATE TABLE notes (text TEXT)")
        database.execute("INSERT INTO notes VALUES ('open')")  # the sqlite3 module opens a transaction here
        with pytest.raises(BackupError, match="inside a transaction"):
            back_up(database, tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()
