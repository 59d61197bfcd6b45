import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from backups.sqlite import BackupError, back_up

PG_DUMP = """The database is PostgreSQL: back it up with pg_dump, which copies a consistent snapshot as the site runs:

    pg_dump --format=custom --file={destination} "$DATABASE_URL"

and restore such a file into an empty database with pg_restore:

    pg_restore --no-owner --dbname="$DATABASE_URL" {destination}"""


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to a new file while the site runs (SQLite's online backup API), "
        "and check the copy. On PostgreSQL, says how to use pg_dump instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="the backup file to write, or a folder to write a dated one in")

    def handle(self, destination, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            raise CommandError(PG_DUMP.format(destination=destination))
        destination = _backup_file(Path(destination))
        connection.ensure_connection()
        try:
            back_up(connection.connection, destination)
        except (BackupError, sqlite3.Error, OSError) as error:
            raise CommandError(f"The backup failed, and no file was written: {error}") from None
        size = filesizeformat(destination.stat().st_size)
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {destination} ({size}, checked)."))
        self.stdout.write(f"Restore it with: manage.py restore {destination}")


def _backup_file(destination):
    if destination.is_dir():
        destination = destination / f"marginalia-{timezone.now():%Y%m%d-%H%M%S}.sqlite3"
    if destination.exists():
        raise CommandError(f"{destination} already exists; give a new file name, or a folder.")
    if not destination.parent.is_dir():
        raise CommandError(f"There is no folder {destination.parent} to write the backup in.")
    return destination
