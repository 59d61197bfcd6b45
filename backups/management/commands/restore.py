import os
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from backups.sqlite import BackupError, back_up, check_backup, restore

PG_RESTORE = """The database is PostgreSQL: restore a pg_dump file with pg_restore, into an empty database:

    pg_restore --no-owner --dbname="$DATABASE_URL" {backup}"""


class Command(BaseCommand):
    help = (
        "Replace the SQLite database with a backup, after checking it: an SQLite file that passes "
        "PRAGMA integrity_check, made by this site and no newer than this code. "
        "The database as it was is first saved beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a file `manage.py backup` wrote")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="replace without asking first"
        )

    def handle(self, backup, interactive=True, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            raise CommandError(PG_RESTORE.format(backup=backup))
        try:
            missing = check_backup(backup)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        database = _database_file(connection, Path(backup))
        if interactive and input(f"Replace {database} with {backup}? Type 'yes' to go on: ").strip() != "yes":
            raise CommandError("Nothing was changed.")
        saved = database.with_name(f"{database.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}")
        connection.ensure_connection()
        try:
            back_up(connection.connection, saved)
            restore(backup, connection.connection)
        except (BackupError, sqlite3.Error, OSError) as error:
            raise CommandError(f"The restore failed, and the database is as it was: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Restored {database} from {backup}."))
        self.stdout.write(f"The database as it was before is saved in {saved}.")
        if missing:
            self.stdout.write(f"The backup predates {len(missing)} of this code's migrations: run manage.py migrate.")


def _database_file(connection, backup):
    if connection.is_in_memory_db():
        raise CommandError("The database is in memory: there is no file to restore into. Nothing was changed.")
    database = Path(connection.settings_dict["NAME"])
    if database.exists() and os.path.samefile(database, backup):
        raise CommandError(f"{backup} is the database itself. Nothing was changed.")
    return database
