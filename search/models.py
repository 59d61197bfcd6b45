from django.contrib.postgres.search import SearchVectorField
from django.db import models

from annotations.models import Annotation


class NoteEntry(models.Model):
    """What search reads of one note: its quote, comment and tags as text, kept in step by triggers (search.indexing).

    Each database's engine follows these rows by triggers on this table (migration 0002): on
    SQLite an FTS5 table whose rowid is this row's id, on PostgreSQL the `vector` column,
    weighted and GIN-indexed. On SQLite `vector` stays empty.
    """

    annotation = models.OneToOneField(Annotation, on_delete=models.CASCADE, related_name="search_entry")
    quote = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    tags = models.TextField(blank=True, help_text="The note's tag names, separated by spaces.")
    vector = SearchVectorField(null=True, editable=False)

    def __str__(self):
        return f"search entry of {self.annotation_id}"
