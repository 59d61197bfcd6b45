"""Writers write notes into one database at once, beside one client posting hostile Markdown; prints what happened.

Run with DATABASE_URL pointing at a fresh database (a new SQLite file, or an empty PostgreSQL
database) by tests/benchmarks/test_concurrent_writers.py (16 writers, the worst Markdown found)
and, smaller, by tests/annotations/test_writes_beside_a_hostile_comment.py:

    python concurrent_writers.py [--writers 16] [--notes 25] [--hostile SHAPE …] [--length 10000]

Every process starts writing at the same moment. The hostile client posts one note for each
SHAPE of tests/hostile_markdown.py, `--length` characters long. The script exits 0 when every
note is stored and no write failed.
"""

import argparse
import multiprocessing
import os
import sys
import time

HOSTILE_USER = "hostile"


def setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def _article_and_user(username):
    from django.contrib.auth import get_user_model

    from reader.models import Article

    return Article.objects.get(slug="north-korean-missile-crisis"), get_user_model().objects.get(username=username)


def _failure(error):
    from django.db import OperationalError

    return "locked" if isinstance(error, OperationalError) and "locked" in str(error) else type(error).__name__


def write(writer, notes, start, results):
    """Write `notes` notes as writer{writer}; put (writer, notes written, failures) on `results`."""
    setup()
    from annotations.anchoring import ArticleText
    from annotations.writing import create_note

    article, user = _article_and_user(f"writer{writer}")
    text = ArticleText(article.paragraphs.all())
    paragraphs = [p for p in text.paragraphs if len(p.text) > 20]
    written, failures = 0, []
    start.wait(timeout=600)
    for i in range(notes):
        paragraph = paragraphs[(writer + i) % len(paragraphs)]
        passage = text.by_position(paragraph.key, 0, paragraph.key, 10 + i % 10)
        try:
            create_note(user, article, passage, comment=f"note {i} by writer {writer}", tags=["load", f"w{writer}"])
            written += 1
        except Exception as error:  # counted and reported: that is what this measures
            failures.append(_failure(error))
    results.put(("writer", writer, written, failures))


def post_hostile(shapes, length, start, results):
    """Post one note per hostile shape, as the hostile client; put (shape, seconds, failure or "") on `results`."""
    setup()
    from annotations.writing import NoteError, create_note
    from tests.hostile_markdown import hostile

    article, user = _article_and_user(HOSTILE_USER)
    posts = []
    start.wait(timeout=600)
    for shape in shapes:
        started = time.perf_counter()
        try:
            create_note(user, article, None, comment=hostile(shape, length), visibility="public")
            failure = ""
        except NoteError:
            failure = "refused"  # an answer, not a failure of the site
        except Exception as error:
            failure = _failure(error)
        posts.append((shape, time.perf_counter() - started, failure))
    results.put(("hostile", posts))


def prepare(writers):
    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, connections

    from reader.importing import import_file

    call_command("migrate", verbosity=0)
    import_file(settings.BASE_DIR / "fixtures" / "north-korean-missile-crisis.md")
    for username in [f"writer{writer}" for writer in range(writers)] + [HOSTILE_USER]:
        get_user_model().objects.create_user(username)
    vendor = connection.display_name
    connections.close_all()
    return vendor


def run(writers, notes, shapes, length):
    """Start everyone at once; return (seconds, [(writer, written, failures)], [(shape, seconds, failure)])."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(writers + bool(shapes)), context.Queue()
    processes = [context.Process(target=write, args=(w, notes, start, results)) for w in range(writers)]
    if shapes:
        processes.append(context.Process(target=post_hostile, args=(shapes, length, start, results)))
    started = time.perf_counter()
    for process in processes:
        process.start()
    reports = [results.get(timeout=900) for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    written = [report[1:] for report in reports if report[0] == "writer"]
    posts = next((report[1] for report in reports if report[0] == "hostile"), [])
    return elapsed, written, posts


def main(argv=None):
    from tests.hostile_markdown import SHAPES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--notes", type=int, default=25, help="notes each writer writes")
    parser.add_argument("--hostile", nargs="*", default=[], choices=sorted(SHAPES), metavar="SHAPE")
    parser.add_argument("--length", type=int, default=10_000, help="characters of each hostile note")
    args = parser.parse_args(argv)

    vendor = prepare(args.writers)
    elapsed, written, posts = run(args.writers, args.notes, args.hostile, args.length)
    from annotations.models import Annotation

    expected = args.writers * args.notes
    stored = Annotation.objects.filter(author__username__startswith="writer").count()
    failures = [failure for _, _, writer_failures in written for failure in writer_failures]
    locked = failures.count("locked")
    plural = "s" if len(posts) != 1 else ""
    beside = f", beside {len(posts)} hostile post{plural} of {args.length:,} characters" if posts else ""
    print(
        f"{args.writers} writers × {args.notes} notes on {vendor}{beside}: {stored}/{expected} stored, "
        f"{locked} 'database is locked', {len(failures) - locked} other errors, {elapsed:.2f} s "
        f"({expected / elapsed:.0f} notes/s)"
    )
    hostile_failures = [failure for _, _, failure in posts if failure not in ("", "refused")]
    if posts:
        saved = sum(not failure for _, _, failure in posts)
        slowest = max(posts, key=lambda post: post[1])
        print(
            f"hostile posts: {saved} saved, {len(posts) - saved - len(hostile_failures)} refused with a message, "
            f"{len(hostile_failures)} failed ({', '.join(hostile_failures) or 'none'}); "
            f"slowest “{slowest[0]}” {slowest[1]:.2f} s"
        )
        for shape, seconds, failure in posts:
            print(f"    {shape:38} {seconds:6.2f} s  {failure or 'saved'}")
    return 0 if (stored, failures, hostile_failures) == (expected, [], []) else 1


if __name__ == "__main__":
    sys.exit(main())
