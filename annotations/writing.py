"""Creating, changing and deleting notes: the checks every way in (web form, htmx, API) shares.

A comment's Markdown is checked and rendered here, before the transaction opens: on SQLite a
transaction holds the database's write lock, and no other writer should wait while a comment
is parsed. The note then takes the rendered HTML (`Annotation.set_comment`).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from annotations.anchoring import SEPARATOR, AnchoringError, ArticleText
from annotations.comments import Comment, CommentError, read_comment
from annotations.models import AnchorMove, Annotation, Notification
from annotations.notifying import notify, notify_mentions
from annotations.premoderation import SUSPENDED, needs_approval, refusal_to_publish, suspended_sql
from annotations.sql import quoted
from annotations.tagging import clean_tags, stored_tags, tag_new_note
from reader.models import Article, Paragraph
from reader.rendering import replace_surrogates
from seminars.models import Membership, Seminar

UNCHANGED = object()


class NoteError(ValueError):
    """Bad input for a note; the message says what to fix. `status` is the HTTP status that answers it."""

    status = 400

    def __init__(self, message, *, status=None):
        super().__init__(message)
        if status is not None:
            self.status = status


class DuplicateNote(NoteError):
    """The note was saved a moment ago (a double click, a resent request); `note` is the one saved."""

    status = 409

    def __init__(self, note, message="This note was saved a moment ago."):
        super().__init__(message)
        self.note = note


# A second note with the same content from the same author within this long is taken for the first, sent twice.
DUPLICATE_WINDOW = timedelta(seconds=10)


def check_visibility(value, seminar=None, author=None):
    """Return (visibility, Seminar or None). A seminar note needs a seminar the author belongs to."""
    if value not in Annotation.Visibility.values:
        choices = ", ".join(Annotation.Visibility.values)
        raise NoteError(f"Visibility {value!r} is not one of: {choices}.")
    if value != Annotation.Visibility.SEMINAR:
        if seminar:
            raise NoteError(f"A seminar is only given with visibility 'seminar', not {value!r}.")
        return value, None
    if not seminar:
        raise NoteError("Visibility 'seminar' needs the seminar: give its slug.")
    if not isinstance(seminar, Seminar):
        found = Seminar.objects.filter(slug=seminar).first() if isinstance(seminar, str) else None
        if found is None:
            raise NoteError(_not_your_seminar(seminar))
        seminar = found
    if author is not None and not Membership.objects.filter(seminar=seminar, user=author).exists():
        raise NoteError(_not_your_seminar(seminar.slug))
    return value, seminar


def _not_your_seminar(slug):
    # The same words whether the seminar is someone else's or does not exist: a seminar you are
    # not in does not exist for you (its page is a 404 too), so its name is not told either.
    return f"You are in no seminar {slug!r}: a note is shared with a seminar you belong to."


def clean_comment(comment):
    """The comment checked and rendered (a comments.Comment), or NoteError.

    Given as text, it is parsed here: call this before a transaction opens.
    """
    if isinstance(comment, Comment):
        return comment
    if not isinstance(comment, str):
        raise NoteError("The comment must be text.")
    try:
        return read_comment(replace_surrogates(comment))
    except CommentError as error:
        raise NoteError(str(error)) from None


def clean_tag_names(tags):
    if isinstance(tags, str):
        tags = replace_surrogates(tags)
    elif isinstance(tags, list | tuple):
        tags = [replace_surrogates(tag) if isinstance(tag, str) else tag for tag in tags]
    try:
        return clean_tags(tags)
    except ValueError as error:
        raise NoteError(str(error)) from None


def clean_note(*, comment="", tags=()):
    """Check a note's body; return (comments.Comment, tag names) or raise NoteError. Call it outside transactions."""
    return clean_comment(comment), clean_tag_names(tags)


def check_body(passage, comment, *, is_reply=False):
    """Refuse a note that would say nothing: one on the whole article (or a reply) needs a comment.

    A note on a passage may be a bare highlight: the passage is what it says. Tags alone do not
    make a note on the whole article: there is nothing to read in it, and nowhere to show them.
    """
    if comment.source:
        return
    if is_reply:
        raise NoteError("A reply needs some text.")
    if passage is None:
        raise NoteError("A note on the whole article needs a comment: write what you want to say about it.")


def create_note(author, article, passage, *, comment="", tags=(), visibility="private", seminar=None, **extra):
    """Make a note on `passage` (an anchoring.Passage), or on the whole article when it is None.

    The same note sent twice within seconds is refused (DuplicateNote), see `check_not_duplicate`.
    `article` is as read before the passage was chosen: while its revision is the same, so is its text.
    """
    comment, names = clean_note(comment=comment, tags=tags)
    with transaction.atomic():
        visibility, seminar = check_visibility(visibility, seminar, author)
        revision = check_not_duplicate(
            author,
            article,
            passage,
            comment,
            bare=passage is not None and not comment.source and not names,
            names=names,
            audience=(visibility, seminar),
            public=visibility == Annotation.Visibility.PUBLIC,
        )
        # After the suspension check, as before it was folded into the locked read; a copy of a note
        # that was saved had a body, so looking for copies first finds none the body check would refuse.
        check_body(passage, comment)
        if passage is not None and revision != article.revision:
            passage = still_there(article, passage)
        note = Annotation(author=author, article=article, visibility=visibility, seminar=seminar, **extra)
        note.pending = needs_approval(author, visibility, seminar)
        note.set_comment(comment)
        if passage is not None:
            for name, value in passage.as_fields().items():
                setattr(note, name, value)
        note.save()
        if names:
            tag_new_note(note, names)
        notify_mentions(note)
    return note


def create_reply(author, parent, *, comment="", tags=(), **extra):
    """Reply to `parent`, which the caller has checked `author` can see. Replies share the thread's audience."""
    if parent.deleted:
        raise NoteError("That note was deleted; reply to one of its replies instead.")
    comment, names = clean_note(comment=comment, tags=tags)
    check_body(None, comment, is_reply=True)
    with transaction.atomic():
        public = parent.visibility == Annotation.Visibility.PUBLIC
        check_not_duplicate(author, parent.article, None, comment, parent=parent, public=public)
        reply = Annotation(
            author=author,
            article=parent.article,
            parent=parent,
            thread=parent.thread or parent,
            visibility=parent.visibility,
            seminar=parent.seminar,
            pending=needs_approval(author, parent.visibility, parent.seminar),
            **extra,
        )
        reply.set_comment(comment)
        reply.save(force_insert=True)
        if names:
            tag_new_note(reply, names)
        if parent.author_id != author.pk:
            notify(parent.author, author, "reply", reply)
        notify_mentions(reply)
    return reply


def check_not_duplicate(
    author, article, passage, comment, *, parent=None, bare=False, names=(), audience=None, public=False
):
    """Refuse a note its author saved a moment ago (DuplicateNote): the same place, parent, comment, tags and audience.
    With `public`, first refuse it (403) when the author's public writing is suspended, read as the row is locked.

    A double click or a resent request must not make two notes; the same words noted again with
    other tags, or shared with another audience, are another note. A bare highlight (no comment,
    no tags) on exactly the place of a note saved a moment ago is refused too, saying why: that
    note marks the place already, and a form sent twice arrives so (the second time emptied).
    `audience` is (visibility, seminar) when it is to be compared.
    The author's row is locked first, so two copies sent at once are checked one after the other
    (SQLite's write lock does that already; PostgreSQL needs the row lock). Returns the article's
    revision, read under that lock.
    """
    is_barred, revision = _lock_author(author, article, public=public)
    if is_barred:
        raise NoteError(SUSPENDED, status=403)
    # Asked after the lock, in a statement of its own: a copy saved while this one waited for the lock
    # is seen only by a statement that starts after it (on PostgreSQL each statement reads what was
    # committed when it began).
    copies = _recent_copies(author, article, passage, comment, parent=parent, bare=bare, audience=audience)
    if not copies:  # most often
        return revision
    copies = Annotation.objects.filter(pk__in=copies).order_by("-created").prefetch_related("tagged_items__tag")
    for note in copies:
        if bare:
            raise DuplicateNote(note, "A note of yours on these words was saved a moment ago; it marks them already.")
        tags = sorted(item.tag.name.casefold() for item in note.tagged_items.all())
        if tags == sorted(name.casefold() for name in names):
            raise DuplicateNote(note)
    return revision


# Every create runs the check above, so its two queries are written out here rather than built by the
# ORM each time: building them cost more than the rest of the create's queries together.


def _equals(column, value):
    """A condition on an Annotation column (its value as the database stores it), and its parameters."""
    field = Annotation._meta.get_field(column)
    if value is None:
        return f"{quoted(Annotation, column)} IS NULL", []
    return f"{quoted(Annotation, column)} = %s", [field.get_db_prep_value(value, connection)]


def _recent_copies(author, article, passage, comment, *, parent, bare, audience):
    """The ids of the author's notes that may be this one sent again (most often none)."""
    since = timezone.now() - DUPLICATE_WINDOW
    created = Annotation._meta.get_field("created").get_db_prep_value(since, connection)
    conditions = [
        _equals("author", author.pk),
        _equals("article", article.pk),
        _equals("parent", parent.pk if parent else None),
        (f"NOT {quoted(Annotation, 'deleted')}", []),
        (f"{quoted(Annotation, 'created')} >= %s", [created]),
    ]
    if passage is None:
        conditions.append(_equals("start_key", ""))
    else:
        place = passage.as_fields()
        conditions += [_equals(name, place[name]) for name in ("start_key", "start_offset", "end_key", "end_offset")]
    if not bare:  # only a note that says the same to the same readers is this one sent again
        conditions.append(_equals("comment", comment.source))
        if audience is not None:
            visibility, seminar = audience
            conditions += [_equals("visibility", visibility), _equals("seminar", seminar.pk if seminar else None)]
    where = " AND ".join(sql for sql, _ in conditions)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quoted(Annotation, 'id')} FROM {quoted(Annotation)} WHERE {where}",
            [param for _, params in conditions for param in params],
        )
        return [row[0] for row in cursor.fetchall()]


def _lock_author(author, article, *, public):
    """Lock the author's row, hold the article's text, and read, in that one query, whether the author is
    suspended (asked only for a public note) and the article's revision, which the caller compares with
    the one it read. Returns (suspended, revision).

    The article's row is share-locked, as `hold_text` does for an edit of a note: a change of the text
    locks it for update first, so one that is under way finishes before this reads the revision (a locked
    row is read as last committed), and none starts until the note is saved, by then where its re-anchoring
    finds it. Notes made at once on one article share the lock. On SQLite the write lock does all this.
    """
    barred = suspended_sql(author) if public else ("%s", [False])
    user, users, articles = get_user_model(), quoted(get_user_model()), quoted(Article)
    sql = (
        f"SELECT {barred[0]}, {articles}.{quoted(Article, 'revision')} FROM {users}, {articles} "
        f"WHERE {users}.{quoted(user, user._meta.pk.name)} = %s AND {articles}.{quoted(Article, 'id')} = %s"
    )
    if connection.features.has_select_for_update_of:
        # NO KEY UPDATE: a row written by a change of the text that names the author (an inbox item) takes
        # only a key-share lock on them, which this lets through, so that change is never left waiting here.
        sql += f" FOR NO KEY UPDATE OF {users} FOR SHARE OF {articles}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*barred[1], author.pk, article.pk])
        row = cursor.fetchone()
    if row is None:
        raise NoteError("This article is no longer here: it was deleted while the note was being written.", status=404)
    return bool(row[0]), row[1]


def widens(note, visibility, seminar):
    """Whether the audience (visibility, seminar) takes in anyone who cannot read `note` now.

    Private narrows any audience and public takes in everyone already; between those, any
    other seminar, or public, reaches people the current audience leaves out.
    """
    if visibility == Annotation.Visibility.PRIVATE or note.visibility == Annotation.Visibility.PUBLIC:
        return False
    return (visibility, seminar) != (note.visibility, note.seminar)


def check_audience_change(note, visibility, seminar):
    """Refuse to show other people's replies to anyone they did not write them for.

    A thread's replies share its audience, so widening the first note would widen them
    too: while others have replied, its author may narrow the thread (to private) but
    not widen it. Their own replies go wherever the note goes.
    """
    if widens(note, visibility, seminar) and note.thread_replies.exclude(author=note.author_id).exists():
        raise NoteError(
            "Others have replied to this note for the readers it has now, so it cannot be shared more widely: "
            "their replies would go with it. Start a new note to share this with more readers."
        )


def update_note(note, *, comment=UNCHANGED, **changes):
    """Change what is given; leave the rest. Validates everything before writing anything.

    A new comment is checked and rendered first, before the transaction opens.
    """
    return _update_note(note, comment=comment if comment is UNCHANGED else clean_comment(comment), **changes)


@transaction.atomic
def _update_note(
    note, *, comment=UNCHANGED, tags=UNCHANGED, visibility=UNCHANGED, seminar=UNCHANGED, passage=UNCHANGED, **extra
):
    names = clean_tag_names([] if tags is UNCHANGED else tags)
    # The note may have been read before a change of the text moved it: write back its place as it is now.
    hold_text(note.article_id)
    note.refresh_from_db(fields=PLACE)
    if passage not in (UNCHANGED, None):
        passage = still_there(note.article, passage)
    changes_audience = (visibility is not UNCHANGED and visibility != note.visibility) or (
        seminar is not UNCHANGED and seminar not in (note.seminar, getattr(note.seminar, "slug", None))
    )
    if note.is_reply and changes_audience:
        raise NoteError("A reply is seen by whoever sees its thread; change the visibility of the first note.")
    if comment is not UNCHANGED or passage is not UNCHANGED:  # an edit must not leave a note that says nothing
        on_article = passage is None or (passage is UNCHANGED and not note.start_key)
        check_body(
            None if on_article else passage,
            comment if comment is not UNCHANGED else Comment(source=note.comment, html=note.comment_html),
            is_reply=note.is_reply,
        )
    if visibility is not UNCHANGED or seminar is not UNCHANGED:
        visibility, seminar = check_visibility(
            note.visibility if visibility is UNCHANGED else visibility,
            note.seminar if seminar is UNCHANGED else seminar,
            note.author,
        )
        check_audience_change(note, visibility, seminar)
        if note.visibility != visibility and (refusal := refusal_to_publish(note.author, visibility)):
            raise NoteError(refusal, status=403)
        note.visibility, note.seminar = visibility, seminar
        # Replies follow their thread, so the whole conversation keeps one audience.
        note.thread_replies.update(visibility=visibility, seminar=seminar)
    if comment is not UNCHANGED:
        note.set_comment(comment)
    if passage is not UNCHANGED:
        was = place_of(note)
        fields = passage.as_fields() if passage is not None else _no_range()
        for name, value in fields.items():
            setattr(note, name, value)
        if passage is not None and (was != place_of(note) or not note.is_anchored):
            placed_by_author(note, was, passage)
        note.anchor_status, note.anchor_candidates = Annotation.AnchorStatus.ANCHORED, []
        note.article_revision = note.article.revision
    for name, value in extra.items():
        setattr(note, name, value)
    note.save()
    if tags is not UNCHANGED:
        note.tags.set(stored_tags(names), clear=True)
    notify_mentions(note)
    return note


# Where a note is: what a change of the text may have moved since the note was read.
PLACE = [
    "start_paragraph", "start_key", "start_offset", "end_paragraph", "end_key", "end_offset",
    "anchor_status", "anchor_candidates",
]  # fmt: skip


def hold_text(article_id):
    """Hold the article's text as it is until the transaction ends: a change of it waits (it takes the same lock).

    On SQLite the transaction's own write lock does this; on PostgreSQL, the article's row lock.
    """
    Article.objects.select_for_update().filter(pk=article_id).values_list("pk", flat=True).first()


def still_there(article, passage):
    """The passage, checked against the text as it is now (call under `hold_text`).

    A passage is read from the text before the transaction opens; a change of the text may land
    in between. Only the paragraphs it covers are read again.
    """
    rows = list(
        Paragraph.objects.filter(
            article=article, position__gte=passage.start.position, position__lte=passage.end.position
        ).order_by("position")
    )
    if rows and rows[0].pk == passage.start.pk and rows[-1].pk == passage.end.pk:
        text = SEPARATOR.join(row.text for row in rows)
        end = len(text) - (len(rows[-1].text) - passage.end_offset)
        if 0 <= passage.start_offset <= end <= len(text) and text[passage.start_offset : end] == passage.exact:
            return passage
    raise NoteError("The text changed while these words were being chosen; select them again.")


def place_of(note):
    """Where a note is: its keys, offsets and quote, as a re-anchoring move records them."""
    return {
        "start_key": note.start_key,
        "start_offset": note.start_offset,
        "end_key": note.end_key,
        "end_offset": note.end_offset,
        "text": note.quote_exact,
    }


def placed_by_author(note, was, passage):
    """Record that the note's author placed it (a suggestion accepted, an orphan re-attached).

    The inbox items that asked them to look are marked read: they have.
    """
    AnchorMove.objects.create(
        annotation=note,
        revision=note.article.revision,
        status=Annotation.AnchorStatus.ANCHORED,
        method=AnchorMove.Method.AUTHOR,
        score=1.0,
        source=was,
        target={**place_of(note), "text": passage.exact, "prefix": passage.prefix, "suffix": passage.suffix},
    )
    Notification.objects.filter(annotation=note, kind__in=Notification.ANCHORING, read=None).update(read=timezone.now())


def accept_suggestion(note, index=0):
    """Place a suggested note at its `index`th candidate; it keeps the quote it was written on.

    Refused when the text has changed since the suggestion was made (the candidate's words are
    no longer at its place): the engine has made new suggestions by then, or orphaned the note.
    """
    with transaction.atomic():
        hold_text(note.article_id)
        note.refresh_from_db(fields=PLACE)  # as the latest change of the text left it
        note.article.refresh_from_db(fields=["revision", "modified"])  # and the text it left: ArticleText.of
        if not note.is_suggested:
            raise NoteError("This note has no suggested place to accept: it is placed already, or has none.")
        candidates = note.anchor_candidates or []
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(candidates):
            raise NoteError(
                f"There is no suggestion {index!r} for this note; choose one of the {len(candidates)} shown."
            )
        chosen = candidates[index]
        try:
            passage = ArticleText.of(note.article).by_position(
                chosen["start_key"],
                chosen["start_offset"],
                chosen["end_key"],
                chosen["end_offset"],
                exact=chosen["text"],
            )
        except AnchoringError:
            raise NoteError(
                "The text has changed since this place was suggested; reload the page to see where it is now."
            ) from None
        was = place_of(note)
        fields = passage.as_fields()
        for name in ("quote_exact", "quote_prefix", "quote_suffix"):
            del fields[name]  # the note keeps the words it was written about
        for name, value in fields.items():
            setattr(note, name, value)
        note.anchor_status, note.anchor_candidates = Annotation.AnchorStatus.ANCHORED, []
        note.save(update_fields=[*fields, "anchor_status", "anchor_candidates", "modified"])
        placed_by_author(note, was, passage)
    return note


@transaction.atomic
def delete_note(note):
    """Delete a note. One with replies stays as a placeholder so the conversation keeps its thread."""
    if note.replies.exists():
        note.deleted, note.comment, note.is_question = True, "", False
        # Only what deleting changes: the note's place is the text's to keep (it may have moved it).
        note.save(update_fields=["deleted", "comment", "comment_html", "is_question", "modified"])
        note.tags.clear()
        return
    parent = note.parent
    note.delete()
    # A deleted placeholder whose last reply just went has nothing left to hold up.
    while parent is not None and parent.deleted and not parent.replies.exists():
        grandparent = parent.parent
        parent.delete()
        parent = grandparent


def _no_range():
    return {
        "start_paragraph": None,
        "start_key": "",
        "start_offset": None,
        "end_paragraph": None,
        "end_key": "",
        "end_offset": None,
        "quote_exact": "",
        "quote_prefix": "",
        "quote_suffix": "",
    }
