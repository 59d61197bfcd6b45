from django.core.management.base import BaseCommand, CommandError

from reader.importing import ArticleImportError, import_file


class Command(BaseCommand):
    help = (
        "Create or update an article from a Markdown file, one paragraph per top-level block. "
        "An optional header of Title:, Author:, Date: (YYYY-MM-DD) and Source: lines may open the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a UTF-8 Markdown file")
        parser.add_argument("--slug", help="the article's URL name (default: from the file name)")
        parser.add_argument("--draft", action="store_true", help="import as a draft, seen only by staff")

    def handle(self, file, slug=None, draft=False, **options):
        try:
            result = import_file(file, slug=slug, draft=draft)
        except ArticleImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
