from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from notebook.importing import NoteFileError, check_size, import_notes, read_file
from reader.models import Article


class Command(BaseCommand):
    help = (
        "Import a reader's notes from a Hypothesis export (JSON) or W3C Web Annotations (JSON-LD). Each note is "
        "placed on the words it quotes, in the article its target names or the one given with --article; "
        "the notes are private; importing the same file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON or JSON-LD file")
        parser.add_argument("--user", required=True, help="the username whose notes these become")
        parser.add_argument("--article", help="the slug of the article to import every note into")

    def handle(self, file, user, article=None, **options):
        reader = get_user_model().objects.filter(username=user, is_active=True).first()
        if reader is None:
            raise CommandError(f"There is no active user {user!r}.")
        chosen = None
        if article:
            chosen = Article.objects.readable_by(reader).filter(slug=article).first()
            if chosen is None:
                raise CommandError(f"There is no article {article!r} that {user} can read.")
        path = Path(file)
        try:
            check_size(path.stat().st_size)
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except NoteFileError as error:
            raise CommandError(str(error)) from None
        try:
            report = import_notes(reader, read_file(data), chosen)
        except NoteFileError as error:
            raise CommandError(str(error)) from None
        for outcome in report.outcomes:
            line = f"{outcome.status:>13}  {outcome.incoming.label}"
            self.stdout.write(line + (f" — {outcome.reason}" if outcome.reason else ""))
        self.stdout.write(self.style.SUCCESS(report.summary()))
