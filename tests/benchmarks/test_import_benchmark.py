"""How long importing a long article takes. Prints figures; asserts only what was stored.

Run with `pytest tests/benchmarks -s` to see the numbers (`make bench`); with DATABASE_URL set,
on that database. Targets: 10,000 blocks ≤ 4 s, a re-import with 1% edited ≤ 1 s.
"""

import time

import pytest
from django.db import connection

from reader.importing import import_file
from reader.models import Paragraph

PARAGRAPHS = 10_000
EDITED = 100


def long_article(edited=()):
    blocks = ["Title: A very long article"]
    for n in range(PARAGRAPHS):
        if n % 100 == 0:
            blocks.append(f"## Part {n // 100}")
        elif n in edited:
            blocks.append(
                f"Paragraph {n}, corrected by the curator, with *emphasis* and a [link](https://example.org/{n})."
            )
        else:
            blocks.append(f"Paragraph {n} of the article, with *emphasis* and a [link](https://example.org/{n}).")
    return "\n\n".join(blocks) + "\n"


@pytest.mark.django_db
def test_import_and_reimport_of_a_ten_thousand_paragraph_article(write_markdown):
    path = write_markdown(long_article(), name="long.md")
    started = time.perf_counter()
    result = import_file(path)
    elapsed = time.perf_counter() - started
    print(
        f"\nimport of {PARAGRAPHS:,} paragraphs on {connection.display_name}: {elapsed:.2f} s (target ≤ 4 s; "
        f"{PARAGRAPHS / elapsed:,.0f} paragraphs/s)"
    )
    assert Paragraph.objects.filter(article=result.article).count() == PARAGRAPHS

    edited = set(range(1, PARAGRAPHS, PARAGRAPHS // EDITED))
    path = write_markdown(long_article(edited), name="long.md")
    started = time.perf_counter()
    result = import_file(path)
    elapsed = time.perf_counter() - started
    print(f"re-import with {len(edited)} paragraphs edited (1%): {elapsed:.2f} s (target ≤ 1 s)")
    assert (result.kept, result.added, result.removed) == (PARAGRAPHS - len(edited), len(edited), len(edited))
    assert Paragraph.objects.filter(article=result.article).count() == PARAGRAPHS
