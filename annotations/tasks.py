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


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue `task` once the current transaction commits (at once when there is none).

    Robust: by then the transaction's work is saved, so a failure to enqueue is logged
    rather than raised into a request that has already succeeded.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)
