"""16 processes write notes into one SQLite file at once; prints what happened.

Run by test_concurrent_writers.py with DATABASE_URL pointing at a fresh SQLite file.
"""

import multiprocessing
import os
import sys
import time

WRITERS = 16
NOTES_EACH = 25


def setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def write(writer):
    setup()
    from django.contrib.auth import get_user_model
    from django.db import OperationalError

    from annotations.anchoring import ArticleText
    from annotations.writing import create_note
    from reader.models import Article

    article = Article.objects.get(slug="north-korean-missile-crisis")
    user = get_user_model().objects.get(username=f"writer{writer}")
    text = ArticleText(article.paragraphs.all())
    paragraphs = [p for p in text.paragraphs if len(p.text) > 20]
    locked = other = 0
    for i in range(NOTES_EACH):
        paragraph = paragraphs[(writer + i) % len(paragraphs)]
        passage = text.by_position(paragraph.key, 0, paragraph.key, 10 + i % 10)
        try:
            create_note(user, article, passage, comment=f"note {i} by writer {writer}", tags=["load", f"w{writer}"])
        except OperationalError as error:
            if "locked" in str(error):
                locked += 1
            else:
                other += 1
    return locked, other


def main():
    setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from annotations.models import Annotation

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from reader.importing import import_file

    import_file(settings.BASE_DIR / "fixtures" / "north-korean-missile-crisis.md")
    for writer in range(WRITERS):
        get_user_model().objects.create_user(f"writer{writer}")
    from django.db import connections

    connections.close_all()
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(WRITERS) as pool:
        results = pool.map(write, range(WRITERS))
    elapsed = time.perf_counter() - started
    locked = sum(r[0] for r in results)
    other = sum(r[1] for r in results)
    stored = Annotation.objects.count()
    expected = WRITERS * NOTES_EACH
    print(
        f"{WRITERS} writers × {NOTES_EACH} notes on SQLite: {stored}/{expected} stored, "
        f"{locked} 'database is locked', {other} other errors, {elapsed:.2f} s "
        f"({expected / elapsed:.0f} notes/s)"
    )
    return 0 if (stored, locked, other) == (expected, 0, 0) else 1


if __name__ == "__main__":
    sys.exit(main())
