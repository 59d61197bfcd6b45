"""A note's tag text follows its tags in the database itself, however they change.

Tags change through taggit (which tells the app), but also row by row: a reader renaming or
merging their tags moves TaggedAnnotation rows with one UPDATE, and renaming a tag changes every
note that has it. Triggers on both tables write NoteEntry.tags again for the notes touched; the
engines' own triggers (0002) then follow NoteEntry.
"""

from django.db import migrations

SQLITE_TAGS_OF = (
    "(SELECT coalesce(group_concat(t.name, ' '), '') FROM annotations_taggedannotation ti "
    "JOIN taggit_tag t ON t.id = ti.tag_id WHERE ti.content_object_id = {note})"
)


def _sqlite_retag(note):
    return f"UPDATE search_noteentry SET tags = {SQLITE_TAGS_OF.format(note=note)} WHERE annotation_id = {note};"


SQLITE_CREATE = [
    f"""CREATE TRIGGER search_tagged_insert AFTER INSERT ON annotations_taggedannotation BEGIN
        {_sqlite_retag("new.content_object_id")}
    END""",
    f"""CREATE TRIGGER search_tagged_delete AFTER DELETE ON annotations_taggedannotation BEGIN
        {_sqlite_retag("old.content_object_id")}
    END""",
    f"""CREATE TRIGGER search_tagged_update AFTER UPDATE ON annotations_taggedannotation BEGIN
        {_sqlite_retag("old.content_object_id")}
        {_sqlite_retag("new.content_object_id")}
    END""",
    f"""CREATE TRIGGER search_tag_renamed AFTER UPDATE OF name ON taggit_tag BEGIN
        UPDATE search_noteentry SET tags = {SQLITE_TAGS_OF.format(note="search_noteentry.annotation_id")}
        WHERE annotation_id IN (SELECT content_object_id FROM annotations_taggedannotation WHERE tag_id = new.id);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_tag_renamed",
    "DROP TRIGGER IF EXISTS search_tagged_update",
    "DROP TRIGGER IF EXISTS search_tagged_delete",
    "DROP TRIGGER IF EXISTS search_tagged_insert",
]

POSTGRES_CREATE = [
    """CREATE FUNCTION search_note_tags(note uuid) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT coalesce(string_agg(t.name, ' ' ORDER BY t.name), '') FROM annotations_taggedannotation ti
        JOIN taggit_tag t ON t.id = ti.tag_id WHERE ti.content_object_id = note
    $$""",
    """CREATE FUNCTION search_tagged_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE search_noteentry SET tags = search_note_tags(OLD.content_object_id)
            WHERE annotation_id = OLD.content_object_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE search_noteentry SET tags = search_note_tags(NEW.content_object_id)
            WHERE annotation_id = NEW.content_object_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_tagged_changed AFTER INSERT OR UPDATE OR DELETE ON annotations_taggedannotation
        FOR EACH ROW EXECUTE FUNCTION search_tagged_changed()""",
    """CREATE FUNCTION search_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_noteentry SET tags = search_note_tags(annotation_id)
        WHERE annotation_id IN (SELECT content_object_id FROM annotations_taggedannotation WHERE tag_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_tag_renamed AFTER UPDATE OF name ON taggit_tag
        FOR EACH ROW EXECUTE FUNCTION search_tag_renamed()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS search_tag_renamed ON taggit_tag",
    "DROP FUNCTION IF EXISTS search_tag_renamed()",
    "DROP TRIGGER IF EXISTS search_tagged_changed ON annotations_taggedannotation",
    "DROP FUNCTION IF EXISTS search_tagged_changed()",
    "DROP FUNCTION IF EXISTS search_note_tags(uuid)",
]

STATEMENTS = {"sqlite": (SQLITE_CREATE, SQLITE_DROP), "postgresql": (POSTGRES_CREATE, POSTGRES_DROP)}


def create(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[0]:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engines"), ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx")]

    operations = [migrations.RunPython(create, drop)]
