"""Background work for notes, run by `manage.py db_worker` (and at once, in-process, in tests).

How a task here is written, and how the exports to come will be:

- it takes JSON values only: ids, never model instances, and never a note's text (the queue's
  rows can be read in the admin, and a note may be private);
- it looks its rows up again when it runs, since they may have changed or gone in between,
  and reads them through the same rules a request would (`visible_to`, `moderated_by`);
- it returns a small JSON value (a count, a flag, the storage name of a file it wrote) that
  the task's result keeps for whoever follows it;
- work asked for inside a transaction is enqueued when that transaction commits
  (`enqueue_on_commit`), so the worker never runs before the rows it needs exist, nor for a
  change that was rolled back.
"""

from functools import partial

from django.db import transaction
from django_tasks import task

from annotations.models import Annotation
from annotations.receivers import notes_off_their_quote
from reader.models import Article


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue `task` once the current transaction commits (at once when there is none).

    Robust: by then the transaction's work is saved, so a failure to enqueue is logged
    rather than raised into a request that has already succeeded.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)


def recheck_later(article, notes):
    """Hand `notes` to the worker to re-check against the article's new text; orphan them until then.

    A wrong placement is worse than an orphan: until the worker has looked, a note is kept
    out of the text (listed with the orphans, re-attachable by its author) rather than
    marked on words it may no longer quote.
    """
    ids = [str(note.pk) for note in notes]
    Annotation.objects.filter(pk__in=ids).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    enqueue_on_commit(recheck_notes, article.pk, ids)


@task()
def recheck_notes(article_id, note_ids):
    """Re-attach each held note whose quote is still the text at its position; return how many.

    Notes changed meanwhile are left as they are: one its author re-attached is anchored
    already; one whose paragraph has since been removed stays orphaned. Locking the
    article's row keeps a text change from landing between the check and the update.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            return 0
        held = list(
            Annotation.objects.filter(pk__in=note_ids, article=article)
            .orphaned()
            .exclude(start_paragraph=None)
            .exclude(end_paragraph=None)
            .only("pk", "start_key", "start_offset", "end_key", "end_offset", "quote_exact")
        )
        stale = set(notes_off_their_quote(article, held))
        placed = [note.pk for note in held if note.pk not in stale]
        Annotation.objects.filter(pk__in=placed).update(anchor_status=Annotation.AnchorStatus.ANCHORED)
    return len(placed)
