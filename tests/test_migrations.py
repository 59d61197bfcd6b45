"""Moving the seminar models into their own app keeps every row of every table.

The test builds a database at the migrations as they stood before the move (the seminar
models still in `annotations`), fills every table, migrates forward, and reads each row back
through today's models.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import ApiToken
from annotations.models import Annotation, Notification, TaggedAnnotation, Upvote
from reader.models import Article, Paragraph, Revision
from seminars.models import Membership, ReadingListEntry, Seminar

BEFORE_THE_MOVE = [
    ("annotations", "0002_membership_notification_readinglistentry_seminar_and_more"),
    ("accounts", "0001_initial"),
    ("reader", "0002_article_title_one_line"),  # before revisions were kept
]


def migrate(targets, *, unapply=()):
    """Migrate to `targets` (also taking the apps in `unapply` back to zero); return the models there."""
    executor = MigrationExecutor(connection)
    executor.migrate([*targets, *((app, None) for app in unapply)])
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def fill_the_old_tables(apps):
    """One row (or two) in every table of the old layout; returns what to look for afterwards."""
    User = apps.get_model("auth", "User")
    alice = User.objects.create(username="alice", email="alice@example.com", password="!")
    bob = User.objects.create(username="bob", email="bob@example.com", password="!")
    article = apps.get_model("reader", "Article").objects.create(
        slug="moved", title="Moved", status="published", revision=3
    )
    paragraph = apps.get_model("reader", "Paragraph").objects.create(
        article=article, position=0, key="p-moved", kind="paragraph", source="Hello world", html="<p>Hello world</p>",
        text="Hello world",
    )  # fmt: skip
    seminar = apps.get_model("annotations", "Seminar").objects.create(slug="reading-group", name="Reading group")
    apps.get_model("annotations", "Membership").objects.create(seminar=seminar, user=alice, role="instructor")
    apps.get_model("annotations", "Membership").objects.create(seminar=seminar, user=bob, role="participant")
    apps.get_model("annotations", "ReadingListEntry").objects.create(seminar=seminar, article=article, position=1)
    note = apps.get_model("annotations", "Annotation").objects.create(
        author=alice, article=article, start_paragraph=paragraph, start_key="p-moved", start_offset=0,
        end_paragraph=paragraph, end_key="p-moved", end_offset=5, quote_exact="Hello", comment="Why hello?",
        comment_html="<p>Why hello?</p>", visibility="seminar", seminar=seminar, article_revision=3,
    )  # fmt: skip
    reply = apps.get_model("annotations", "Annotation").objects.create(
        author=bob, article=article, parent=note, thread=note, comment="Because.", visibility="seminar",
        seminar=seminar, article_revision=3,
    )  # fmt: skip
    tag = apps.get_model("taggit", "Tag").objects.create(name="greeting", slug="greeting")
    apps.get_model("annotations", "TaggedAnnotation").objects.create(content_object=note, tag=tag)
    apps.get_model("annotations", "Upvote").objects.create(annotation=note, user=bob)
    apps.get_model("annotations", "Notification").objects.create(
        recipient=alice, actor=bob, kind="reply", annotation=reply
    )
    apps.get_model("accounts", "ApiToken").objects.create(user=alice, name="script", digest="d" * 64, prefix="mrg_abc")
    return {"note": note.pk, "reply": reply.pk, "seminar": seminar.pk, "article": article.pk}


@pytest.mark.django_db(transaction=True)
def test_moving_the_seminar_models_keeps_every_row():
    try:
        old_apps = migrate(BEFORE_THE_MOVE, unapply=["seminars"])
        ids = fill_the_old_tables(old_apps)
        migrate(latest())

        seminar = Seminar.objects.get(pk=ids["seminar"])
        assert seminar.name == "Reading group"
        assert sorted(seminar.memberships.values_list("user__username", "role")) == [
            ("alice", "instructor"),
            ("bob", "participant"),
        ]
        assert list(seminar.articles.values_list("slug", flat=True)) == ["moved"]
        assert ReadingListEntry.objects.get().position == 1
        note = Annotation.objects.get(pk=ids["note"])
        assert (note.seminar, note.quote_exact, note.comment) == (seminar, "Hello", "Why hello?")
        assert note.tags.names()[0] == "greeting"
        assert Annotation.objects.get(pk=ids["reply"]).thread == note
        assert Upvote.objects.get().annotation == note
        assert Notification.objects.get().annotation_id == ids["reply"]
        assert ApiToken.objects.get().name == "script"
        assert Paragraph.objects.get().article == Article.objects.get(pk=ids["article"])
        # The text as it stood when revisions began to be kept is its current revision.
        revision = Revision.objects.get()
        assert (revision.number, revision.paragraphs) == (3, [["p-moved", "Hello world"]])
        assert (note.anchor_status, note.anchor_candidates) == ("anchored", [])
        counts = [model.objects.count() for model in (Membership, TaggedAnnotation, Annotation)]
        assert counts == [2, 1, 2]
        # The seminar models' permissions moved with them.
        from django.contrib.contenttypes.models import ContentType

        assert not ContentType.objects.filter(app_label="annotations", model="seminar").exists()
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_notes_without_a_search_entry_get_one_with_their_tags_when_the_triggers_come():
    """Notes loaded before the database kept the index (search 0004) are indexed by that migration."""
    from search.models import NoteEntry
    from tests.annotations.factories import note_on_article

    try:
        alice = User.objects.create(username="alice")
        article = Article.objects.create(slug="kept", title="Kept", status="published")
        note = note_on_article(alice, article, comment="Loaded long ago.", tags=["history", "archive"])
        migrate([("search", "0003_tag_triggers")])
        NoteEntry.objects.filter(annotation=note).delete()  # as the receiver left a note loaded in bulk
        migrate(latest())
        entry = NoteEntry.objects.get(annotation=note)
        assert (entry.comment, sorted(entry.tags.split())) == ("Loaded long ago.", ["archive", "history"])
    finally:
        migrate(latest())
