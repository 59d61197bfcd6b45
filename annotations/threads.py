"""Threads as the reader sees them: each note with its replies, votes, and what the reader may do.

Whatever the number of notes, a page asks for their replies in one query, their tags in
one more and the reader's seminars in a third; the vote counts ride along as subqueries.
"""

from collections import defaultdict

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from annotations.models import Annotation, Upvote, can_moderate
from seminars.models import Seminar

MAX_DEPTH = 3  # replies nest this deep; deeper ones are shown at this depth, in order


def with_votes(notes, user):
    """Annotate each note with `upvote_count` and whether `user` upvoted it (`upvoted`)."""
    counts = (
        Upvote.objects.filter(annotation=OuterRef("pk"))
        .order_by()
        .values("annotation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mine = Upvote.objects.filter(annotation=OuterRef("pk"), user_id=user.pk) if user.is_authenticated else None
    return notes.annotate(
        upvote_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)),
        upvoted=Exists(mine) if mine is not None else Value(False),
    )


def instructed_seminars(user):
    return set(Seminar.objects.instructed_by(user).values_list("pk", flat=True))


def _permissions(item, user, instructed, root):
    item.mine = user.is_authenticated and item.author_id == user.pk
    item.can_moderate = can_moderate(user, item, instructed)
    item.can_endorse = item.visibility == Annotation.Visibility.SEMINAR and item.can_moderate
    item.can_upvote = user.is_authenticated and not item.mine and not item.deleted and not item.is_private
    item.is_answer = root is not None and root.answer_id == item.pk
    item.can_answer = root is not None and root.is_question and not item.deleted and (root.mine or root.can_moderate)


def with_threads(notes, user, *, instructed=None):
    """The top-level `notes` (a list or queryset), each given `shown_replies`: its visible
    replies in conversation order, each with a `depth` of 1 to MAX_DEPTH."""
    notes = list(notes)
    if not notes:
        return notes
    instructed = instructed_seminars(user) if instructed is None else instructed
    replies = (
        with_votes(Annotation.objects.visible_to(user), user)
        .filter(thread__in=[note.pk for note in notes])
        .for_display()
        .order_by("created")
    )
    children = defaultdict(list)
    for reply in replies:
        children[reply.parent_id].append(reply)
    for note in notes:
        _permissions(note, user, instructed, None)
        shown = []
        stack = [(child, 1) for child in reversed(children.get(note.pk, []))]
        while stack:
            reply, depth = stack.pop()
            reply.depth = min(depth, MAX_DEPTH)
            _permissions(reply, user, instructed, note)
            shown.append(reply)
            stack.extend((child, depth + 1) for child in reversed(children.get(reply.pk, [])))
        note.shown_replies = shown
        note.answer_shown = next((reply for reply in shown if reply.is_answer), None)
    return notes
