"""Background work for articles, run by `manage.py db_worker`."""

from django_tasks import task

from reader.importing import import_text


@task()
def import_article(text, *, name="", slug=None, draft=False):
    """Import a long article's Markdown (read by `import_article --background`); return the summary.

    The text travels in the task, not the file's path, so the worker needs no access to the
    file, and a file that cannot be read was already reported on the command line.
    A file that cannot be imported fails the task with the same message the command gives.
    """
    return import_text(text, name=name, slug=slug, draft=draft).summary()
