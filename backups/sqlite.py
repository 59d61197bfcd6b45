"""Back up and restore the SQLite database while the site runs, with SQLite's online backup API.

A backup copies the database in one step, inside one read transaction: in WAL mode a reader
never blocks a writer, so the site keeps writing while the copy is made, and the copy is the
database as it was at one instant. Restoring runs the same API the other way, into the live
database: SQLite writes every page in one transaction, so the other processes see the old
database or the restored one, never a mix, and SQLite deals with the WAL and with the
processes that have the file open. (Renaming a file over the database would leave them
writing to the old one, and could pair the new file with the old one's WAL.)
"""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from django.db.migrations.loader import MigrationLoader

SQLITE_HEADER = b"SQLite format 3\x00"
# The first migration of the app at the bottom of the site: a database without it is not Marginalia's.
OUR_FIRST_MIGRATION = ("reader", "0001_initial")


class BackupError(Exception):
    """The file cannot be used as a backup, or the copy failed; the message says why."""


def back_up(connection, destination):
    """Copy the database `connection` (a sqlite3.Connection) is open on to the new file `destination`.

    The copy is written beside `destination` under a temporary name and renamed into place
    once whole and checked, so a file at `destination` is always a complete backup.
    """
    _check_outside_transaction(connection)
    destination = Path(destination)
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        with closing(sqlite3.connect(partial)) as copy:
            # pages=-1: one step, so one read transaction and one consistent snapshot. Steps of
            # a few pages would let writers in between, and each of their writes restarts the copy.
            connection.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        check_backup(partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def check_backup(path):
    """Raise BackupError unless `path` is a whole SQLite database of this site, no newer than the code.

    Returns the code's migrations the backup has not had (`migrate` applies them after a restore).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite database.")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as backup:
            problems = [row[0] for row in backup.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise BackupError(f"{path} is damaged (PRAGMA integrity_check says: {'; '.join(problems)}).")
            applied = _applied_migrations(backup, path)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as an SQLite database: {error}.") from None
    if OUR_FIRST_MIGRATION not in applied:
        raise BackupError(f"{path} is not a Marginalia database: its migrations never created the articles.")
    known = code_migrations()
    if unknown := sorted(applied - known):
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"{path} is newer than this code: it has migrations the code does not know ({names}). "
            "Restore it with the version of Marginalia that made it."
        )
    return sorted(known - applied)


def _applied_migrations(backup, path):
    has_table = backup.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'")
    if not has_table.fetchone():
        raise BackupError(f"{path} is an SQLite database, but not a Django site's: it has no django_migrations table.")
    return set(backup.execute("SELECT app, name FROM django_migrations"))


def code_migrations():
    """(app, name) of every migration the installed code has."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def restore(path, connection):
    """Replace the database `connection` is open on with the backup at `path`, in one transaction."""
    _check_outside_transaction(connection)
    with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as backup:
        backup.backup(connection, pages=-1)


def _check_outside_transaction(connection):
    # SQLite answers "locked" to a backup from or into a connection with a transaction open, and
    # the sqlite3 module retries that for ever: say so at once instead.
    if connection.in_transaction:
        raise BackupError("The database connection is inside a transaction; back up or restore outside one.")
