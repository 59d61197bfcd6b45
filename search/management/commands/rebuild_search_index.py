from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = "Write the search index of every note again (the database keeps it in step; this is for an index in doubt)."

    def handle(self, *args, **options):
        count = indexing.rebuild()
        self.stdout.write(f"Indexed {count} notes for search.")
