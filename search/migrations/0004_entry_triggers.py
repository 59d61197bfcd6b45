"""A note's entry follows the note in the database itself: made when the note is inserted, written
again when its quote or comment changes, however that happens (a save, a bulk load, an update).

Until now a receiver in search.indexing wrote entries on each save, which left notes loaded in bulk
without one. Those written before this migration get theirs here, with their tags (0003's rule).
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE TRIGGER search_note_inserted AFTER INSERT ON annotations_annotation BEGIN
        INSERT INTO search_noteentry (annotation_id, quote, comment, tags)
        VALUES (new.id, new.quote_exact, new.comment, '');
    END""",
    """CREATE TRIGGER search_note_changed AFTER UPDATE OF quote_exact, comment ON annotations_annotation
        WHEN old.quote_exact IS NOT new.quote_exact OR old.comment IS NOT new.comment BEGIN
        UPDATE search_noteentry SET quote = new.quote_exact, comment = new.comment WHERE annotation_id = new.id;
    END""",
    """INSERT INTO search_noteentry (annotation_id, quote, comment, tags)
        SELECT a.id, a.quote_exact, a.comment, (
            SELECT coalesce(group_concat(t.name, ' '), '') FROM annotations_taggedannotation ti
            JOIN taggit_tag t ON t.id = ti.tag_id WHERE ti.content_object_id = a.id
        ) FROM annotations_annotation a
        WHERE NOT EXISTS (SELECT 1 FROM search_noteentry e WHERE e.annotation_id = a.id)""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_note_changed",
    "DROP TRIGGER IF EXISTS search_note_inserted",
]

POSTGRES_CREATE = [
    """CREATE FUNCTION search_note_written() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO search_noteentry (annotation_id, quote, comment, tags)
            VALUES (NEW.id, NEW.quote_exact, NEW.comment, '');
        ELSE
            UPDATE search_noteentry SET quote = NEW.quote_exact, comment = NEW.comment WHERE annotation_id = NEW.id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_note_inserted AFTER INSERT ON annotations_annotation
        FOR EACH ROW EXECUTE FUNCTION search_note_written()""",
    """CREATE TRIGGER search_note_changed AFTER UPDATE OF quote_exact, comment ON annotations_annotation
        FOR EACH ROW WHEN (OLD.quote_exact IS DISTINCT FROM NEW.quote_exact OR OLD.comment IS DISTINCT FROM NEW.comment)
        EXECUTE FUNCTION search_note_written()""",
    """INSERT INTO search_noteentry (annotation_id, quote, comment, tags)
        SELECT a.id, a.quote_exact, a.comment, search_note_tags(a.id) FROM annotations_annotation a
        WHERE NOT EXISTS (SELECT 1 FROM search_noteentry e WHERE e.annotation_id = a.id)""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS search_note_changed ON annotations_annotation",
    "DROP TRIGGER IF EXISTS search_note_inserted ON annotations_annotation",
    "DROP FUNCTION IF EXISTS search_note_written()",
]

STATEMENTS = {"sqlite": (SQLITE_CREATE, SQLITE_DROP), "postgresql": (POSTGRES_CREATE, POSTGRES_DROP)}


def create(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[0]:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_tag_triggers"), ("annotations", "0006_moderation")]

    operations = [migrations.RunPython(create, drop)]
