from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = "Write the search index of every note again (after notes were loaded in bulk, past the app)."

    def handle(self, *args, **options):
        count = indexing.rebuild()
        self.stdout.write(f"Indexed {count} notes for search.")
