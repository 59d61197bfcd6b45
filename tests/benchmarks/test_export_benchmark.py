"""Exporting a large notebook streams: peak memory and time for 1,000 and 10,000 notes, per format.

Target: flat memory — the peak at 10,000 notes about the peak at 1,000 (the notes are read 500 at a
time and each piece is sent as it is written). Prints figures; asserts only what was exported.
Run with `make bench` (or `pytest tests/benchmarks/test_export_benchmark.py -s`).
"""

import datetime
import json
import os
import time
import tracemalloc

import pytest
from django.utils import timezone

from tests.annotations.factories import many_notes
from tests.conftest import SEED_ARTICLE

ARTICLES = 10
SIZES = (1_000, 10_000)
FORMATS = {"md": "/notebook/export/?format=md", "csv": "/notebook/export/?format=csv", "jsonld": "/api/notebook/export"}


def read(client, url):
    """(bytes sent, seconds) for one streamed export, read a chunk at a time as a client would."""
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200
    sent = sum(len(chunk) for chunk in response.streaming_content)
    return sent, time.perf_counter() - started


def measure(client, url):
    """(bytes sent, seconds, peak traced memory in bytes): timed untraced, then traced for the peak
    (tracing slows Python down several times)."""
    sent, elapsed = read(client, url)
    tracemalloc.start()
    try:
        read(client, url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return sent, elapsed, peak


@pytest.mark.django_db
def test_exporting_ten_thousand_notes_streams_in_flat_memory(client, alice, write_markdown):
    from reader.importing import import_file

    text = SEED_ARTICLE.read_text()
    articles = [
        import_file(write_markdown(text, name=f"copy-{n}.md"), slug=f"copy-{n}").article for n in range(ARTICLES)
    ]
    client.force_login(alice)
    made, peaks = 0, {}
    print(f"\n(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for size in SIZES:
        for n, article in enumerate(articles):
            many_notes(article, [alice], (size - made) // ARTICLES, seed=size + n)
        made = size
        for name, url in FORMATS.items():
            sent, elapsed, peak = measure(client, url)
            peaks[name, size] = peak
            print(
                f"export of {size:>6,} notes as {name:<6}: {sent / 1e6:6.2f} MB sent, peak memory "
                f"{peak / 1e6:5.1f} MB, {elapsed:5.2f} s ({size / elapsed:,.0f} notes/s)"
            )
            assert sent > size  # at least a byte a note (the zip compresses the Markdown well)
    for name in FORMATS:
        ratio = peaks[name, SIZES[1]] / peaks[name, SIZES[0]]
        print(f"{name:<6} peak at {SIZES[1]:,} / peak at {SIZES[0]:,}: {ratio:.2f}× (target: flat, about 1×)")


@pytest.mark.django_db
def test_importing_the_most_notes_a_file_may_hold(client, alice, bob, article):
    """An import of MAX_NOTES notes exported as JSON-LD, and of a hostile file of as many quotes that are
    nowhere in the article (each looked for, white space aside): both time linear in the notes."""
    from annotations.models import Annotation
    from notebook.importing import MAX_NOTES, import_notes, read_file

    many_notes(article, [alice], MAX_NOTES, seed=1)
    # Exported notes carry the dates they were written, and keep them: a year ago here.
    Annotation.objects.filter(author=alice).update(created=timezone.now() - datetime.timedelta(days=365))
    client.force_login(alice)
    exported = b"".join(client.get("/api/notebook/export?format=jsonld").streaming_content)
    started = time.perf_counter()
    report = import_notes(bob, read_file(exported), article)
    elapsed = time.perf_counter() - started
    size = len(exported) / 1e6
    print(f"\nimport of {MAX_NOTES:,} notes ({size:.1f} MB of JSON-LD): {elapsed:.2f} s; {report.summary()}")
    assert report.imported == MAX_NOTES
    missing = [
        {"type": "Annotation", "bodyValue": f"Lost {n}", "target": {"selector": {"type": "TextQuoteSelector",
         "exact": f"words  nowhere {n}\tin the text"}}}
        for n in range(MAX_NOTES)
    ]  # fmt: skip
    started = time.perf_counter()
    report = import_notes(alice, read_file(json.dumps(missing).encode()), article)
    elapsed = time.perf_counter() - started
    print(f"import of {MAX_NOTES:,} quotes not in the article: {elapsed:.2f} s; {report.summary()}")
    assert report.count("orphaned") == MAX_NOTES
