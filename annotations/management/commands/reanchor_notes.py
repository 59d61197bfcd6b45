"""Look again for every suggested and orphaned note, in the whole of its article's text.

A change of text looks for notes it concerns; a note orphaned long ago (by an older version
of the engine, say) is only looked for in text a later change writes. This looks everywhere,
once, with the same engine and the same rules: a note is moved only when sure, suggested when
not, and never deleted.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.models import Annotation
from annotations.receivers import reanchor_unplaced
from reader.models import Article


class Command(BaseCommand):
    help = "Look again for every suggested and orphaned note in the whole text of its article."

    def add_arguments(self, parser):
        parser.add_argument("--article", metavar="SLUG", help="only this article")
        parser.add_argument("--dry-run", action="store_true", help="say what would happen; change nothing")

    def handle(self, article=None, dry_run=False, **options):
        articles = Article.objects.filter(annotations__in=Annotation.objects.needing_attention()).distinct()
        if article:
            if not Article.objects.filter(slug=article).exists():
                raise CommandError(f"There is no article {article!r}.")
            articles = articles.filter(slug=article)
        total = 0
        for each in articles.order_by("slug"):
            counts = self.reanchor(each, dry_run)
            total += 1
            self.stdout.write(
                f"{each.slug}: {counts['moved']} placed again, {counts['suggested']} suggested, "
                f"{counts['orphaned']} orphaned, {counts['unchanged']} left as they were"
            )
        if not total:
            self.stdout.write("No suggested or orphaned notes: nothing to do.")
        elif dry_run:
            self.stdout.write("Dry run: nothing was changed.")

    @transaction.atomic
    def reanchor(self, article, dry_run):
        return reanchor_unplaced(article, dry_run=dry_run)
