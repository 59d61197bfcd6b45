"""Background work for notes, run by `manage.py db_worker` (and at once, in-process, in tests).

Re-anchoring is not here: it runs in the transaction that changes the text. `recheck_notes`
remains for tasks an earlier version queued (notes it held orphaned to re-check later).

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

from annotations.receivers import reanchor_unplaced
from reader.models import Article


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue `task` once the current transaction commits (at once when there is none).

    Robust: by then the transaction's work is saved, so a failure to enqueue is logged
    rather than raised into a request that has already succeeded.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)


@task()
def recheck_notes(article_id, note_ids):
    """A task an earlier version queued: look again for the article's unplaced notes; return how many are placed.

    Those versions orphaned notes until this ran; the engine now looks for them wherever they are.
    """
    with transaction.atomic():
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            return 0
        return reanchor_unplaced(article)["moved"]
