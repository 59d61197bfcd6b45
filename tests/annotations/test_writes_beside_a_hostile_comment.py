"""Issue 8: while one client posts a comment made to be slow, others keep writing with no errors.

A small version of the benchmark (tests/benchmarks/test_concurrent_writers.py): 4 writers of
20 notes each on one SQLite file, beside one post of 10,000 `[`, which used to hold the write
lock for over a minute and made the others fail with "database is locked".
"""

from tests.benchmarks.test_concurrent_writers import run_writers


def test_four_writers_lose_nothing_while_a_comment_of_ten_thousand_brackets_is_posted(tmp_path):
    run = run_writers(
        f"sqlite:///{tmp_path / 'writers.sqlite3'}", "--writers", "4", "--notes", "20", "--hostile", "unclosed ["
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "80/80 stored, 0 'database is locked', 0 other errors" in run.stdout
    assert "1 saved, 0 refused with a message, 0 failed" in run.stdout
