"""Daily review: which of my notes are due on a day, what each card hides, and when it comes back.

The schedule is a half-life in days that grows with each success: "good" doubles it, "easy"
triples it, "again" sets it back to one day; the note is next shown that many days later.
Everything here takes the day as an argument, so the same day and the same answers always give
the same cards (the views pass `today()`).
"""

import datetime
import hashlib
import re

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from annotations.models import Annotation
from reader.database import Prepared
from review.models import Card

DAILY = 10
MAX_HALF_LIFE = 365
GROWTH = {"again": None, "good": 2, "easy": 3}
CLOZE_WORD = re.compile(r"\w{4,}")  # a word worth recalling: four letters or more
ANY_WORD = re.compile(r"\w+")


class ReviewError(ValueError):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def today():
    return timezone.localdate()


def reviewable(user):
    """My notes that can be cards: my own top-level notes on a passage, as visible_to shows them to me."""
    return _own_passages(Annotation.objects.visible_to(user), user)


def _own_passages(notes, user):
    return notes.filter(author=user, parent=None, deleted=False).exclude(quote_exact="")


def start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def due(user, day):
    """My notes due on `day`, oldest first: never answered and written before that day, or due by then."""
    order = (F("review_card__due").asc(nulls_first=True), "created", "pk")
    return reviewable(user).filter(_due_on(day, start_of(day))).order_by(*order)


def _due_on(day, start):
    """The due rule: never answered and written before `start` (the start of `day`), or due by `day`."""
    new = Q(review_card=None, created__lt=start)
    scheduled = Q(review_card__left_out=False, review_card__due__lte=day)
    return new | scheduled


def answered_on(user, day):
    return Card.objects.filter(annotation__author=user, last_reviewed=day).count()


def todays_cards(user, day):
    """The notes still to review on `day`: what is due, up to DAILY answered a day."""
    left = DAILY - answered_on(user, day)
    return due(user, day)[: max(left, 0)]


def any_due(author, start, day):
    """A reader's own passages due on `day` (which starts at `start`), whoever may see them: the guard of
    `due_count`, by the reader's id, with no visibility rule (which only narrows what is due)."""
    return _own_passages(Annotation.objects.all(), author).filter(_due_on(day, start))


_any_due = Prepared(any_due, "id", "datetime", "date", exists=True)


def due_count(user, day, anything_due=None):
    """How many cards are left for `day`: the header's count, on every page.

    A reader with nothing due pays one small query (none when `anything_due`, the answer of `any_due`,
    is given): the visibility rule is asked only when some of their notes are due, and what they
    answered only when some are visible.
    """
    if not (_any_due(user.pk, start_of(day), day) if anything_due is None else anything_due):
        return 0
    waiting = len(due(user, day).values_list("pk", flat=True)[:DAILY])
    return min(waiting, DAILY - answered_on(user, day)) if waiting else 0


def next_half_life(half_life, answer):
    """The half-life after `answer`: again → 1 day, good → ×2, easy → ×3, at most MAX_HALF_LIFE."""
    if answer not in GROWTH:
        raise ReviewError(f"“{answer}” is not an answer: choose again, good or easy.")
    growth = GROWTH[answer]
    return 1 if growth is None else min(half_life * growth, MAX_HALF_LIFE)


@transaction.atomic
def answer(user, note, answer, day):
    """Record my answer to a due card; return its card, due again after its new half-life."""
    if not due(user, day).filter(pk=note.pk).exists():
        card = Card.objects.filter(annotation=note).first()
        when = f"on {card.due:%-d %B %Y}" if card and not card.left_out else "later"
        raise ReviewError(f"This note is not due for review today: it comes back {when}.", status=409)
    card = _card(note, day)
    card.half_life = next_half_life(card.half_life, answer)
    card.due = day + datetime.timedelta(days=card.half_life)
    card.reviews += 1
    card.lapses += answer == "again"
    card.last_reviewed = day
    card.save()
    return card


def _card(note, day):
    card = Card.objects.select_for_update().filter(annotation=note).first()
    return card or Card(annotation=note, due=day)


@transaction.atomic
def leave_out(note, day, left_out=True):
    """Leave a note out of review (or put it back: due on `day`)."""
    card = _card(note, day)
    if not left_out and card.due < day:
        card.due = day
    card.left_out = left_out
    card.save()
    return card


def hidden_word(note, day):
    """(start, end) of the word the card hides on `day`: picked by a hash of the note's id and the date."""
    words = [match.span() for match in CLOZE_WORD.finditer(note.quote_exact)]
    words = words or [match.span() for match in ANY_WORD.finditer(note.quote_exact)]
    if not words:
        return (0, len(note.quote_exact))
    digest = hashlib.sha256(f"{note.pk}:{day.isoformat()}".encode()).digest()
    return words[int.from_bytes(digest[:8], "big") % len(words)]


def card_of(note, day):
    """What the card shows: the comment to match with its quote, or the quote with a word hidden.

    `intervals` says, for each answer, in how many days the note would come back.
    """
    card = getattr(note, "review_card", None)
    half_life = card.half_life if card else 1
    shown = {"note": note, "intervals": {answer: next_half_life(half_life, answer) for answer in GROWTH}}
    if note.comment.strip():
        return {**shown, "kind": "match"}
    start, end = hidden_word(note, day)
    quote = note.quote_exact
    return {**shown, "kind": "cloze", "before": quote[:start], "hidden": quote[start:end], "after": quote[end:]}
