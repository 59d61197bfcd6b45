"""The full-text engines, each on its own database: SQLite's FTS5 tables, or PostgreSQL's GIN indexes.

SQLite: `search_note_fts` indexes NoteEntry (its rowid is the entry's id) and
`search_paragraph_fts` indexes Paragraph.text (its rowid is the paragraph's id). Both read their
text from those tables (external content) and follow them by triggers, so a bulk write, an
update or a cascade of deletes keeps them in step as a single save does.

PostgreSQL: a trigger fills NoteEntry.vector (quote and tags weigh more than the comment) and a
GIN index finds it; paragraphs are found by an index on the expression search.finding queries by.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE search_note_fts USING fts5(quote, comment, tags, content='search_noteentry', content_rowid='id', {TOKENIZE})",
    """CREATE TRIGGER search_note_fts_insert AFTER INSERT ON search_noteentry BEGIN
        INSERT INTO search_note_fts(rowid, quote, comment, tags) VALUES (new.id, new.quote, new.comment, new.tags);
    END""",
    """CREATE TRIGGER search_note_fts_delete AFTER DELETE ON search_noteentry BEGIN
        INSERT INTO search_note_fts(search_note_fts, rowid, quote, comment, tags)
        VALUES ('delete', old.id, old.quote, old.comment, old.tags);
    END""",
    """CREATE TRIGGER search_note_fts_update AFTER UPDATE ON search_noteentry BEGIN
        INSERT INTO search_note_fts(search_note_fts, rowid, quote, comment, tags)
        VALUES ('delete', old.id, old.quote, old.comment, old.tags);
        INSERT INTO search_note_fts(rowid, quote, comment, tags) VALUES (new.id, new.quote, new.comment, new.tags);
    END""",
    f"CREATE VIRTUAL TABLE search_paragraph_fts USING fts5(text, content='reader_paragraph', content_rowid='id', {TOKENIZE})",
    """CREATE TRIGGER search_paragraph_fts_insert AFTER INSERT ON reader_paragraph BEGIN
        INSERT INTO search_paragraph_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER search_paragraph_fts_delete AFTER DELETE ON reader_paragraph BEGIN
        INSERT INTO search_paragraph_fts(search_paragraph_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER search_paragraph_fts_update AFTER UPDATE OF text ON reader_paragraph BEGIN
        INSERT INTO search_paragraph_fts(search_paragraph_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO search_paragraph_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    # What is already there: the paragraphs, and the notes written before this app.
    "INSERT INTO search_paragraph_fts(search_paragraph_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_paragraph_fts_update",
    "DROP TRIGGER IF EXISTS search_paragraph_fts_delete",
    "DROP TRIGGER IF EXISTS search_paragraph_fts_insert",
    "DROP TABLE IF EXISTS search_paragraph_fts",
    "DROP TRIGGER IF EXISTS search_note_fts_update",
    "DROP TRIGGER IF EXISTS search_note_fts_delete",
    "DROP TRIGGER IF EXISTS search_note_fts_insert",
    "DROP TABLE IF EXISTS search_note_fts",
]

POSTGRES_CREATE = [
    """CREATE FUNCTION search_noteentry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector := setweight(to_tsvector('english', coalesce(NEW.quote, '')), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.tags, '')), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.comment, '')), 'B');
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_noteentry_vector BEFORE INSERT OR UPDATE OF quote, comment, tags
        ON search_noteentry FOR EACH ROW EXECUTE FUNCTION search_noteentry_vector()""",
    "CREATE INDEX search_noteentry_vector ON search_noteentry USING gin (vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_noteentry_vector",
    "DROP TRIGGER IF EXISTS search_noteentry_vector ON search_noteentry",
    "DROP FUNCTION IF EXISTS search_noteentry_vector()",
]

# The very expression search.finding filters paragraphs by, so PostgreSQL uses the index for it.
PARAGRAPH_INDEX = GinIndex(SearchVector("text", config="english"), name="search_paragraph_text")


def run(statements, schema_editor):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        run(SQLITE_CREATE, schema_editor)
    elif vendor == "postgresql":
        run(POSTGRES_CREATE, schema_editor)
        schema_editor.add_index(apps.get_model("reader", "Paragraph"), PARAGRAPH_INDEX)
    else:
        return
    index_notes_already_written(apps)


def index_notes_already_written(apps):
    Annotation, NoteEntry = apps.get_model("annotations", "Annotation"), apps.get_model("search", "NoteEntry")
    Tagged = apps.get_model("annotations", "TaggedAnnotation")
    tags = {}
    for note_id, name in Tagged.objects.order_by("tag__name").values_list("content_object_id", "tag__name"):
        tags.setdefault(note_id, []).append(name)
    rows = Annotation.objects.values_list("pk", "quote_exact", "comment")
    NoteEntry.objects.bulk_create(
        (NoteEntry(annotation_id=pk, quote=q, comment=c, tags=" ".join(tags.get(pk, []))) for pk, q, c in rows),
        batch_size=1000,
    )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        run(SQLITE_DROP, schema_editor)
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("reader", "Paragraph"), PARAGRAPH_INDEX)
        run(POSTGRES_DROP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("reader", "0003_revisions"),
    ]

    operations = [migrations.RunPython(create, drop)]
