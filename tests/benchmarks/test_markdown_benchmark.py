"""How the cost of checking and rendering a comment grows with its length, shape by shape.

DESIGN.md: no input costs more than linear work. For each shape of tests/hostile_markdown.py
(and plain prose, to compare), this prints the milliseconds per 1,000 characters that
comments.read_comment (the check and the render a save does) takes at 1,000, 4,000 and
10,000 characters, and the ratio of the times at 10,000 and 1,000: near 10 when the work is
linear, near 100 when it is quadratic. Each time is the best of a few runs, so a busy machine
blurs it less. Prints its figures (run with `make bench`); asserts no time.
"""

import time

from annotations.comments import read_comment
from tests.hostile_markdown import SHAPES, hostile

LENGTHS = (1_000, 4_000, 10_000)
RUNS = 3


def best_time(source):
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        read_comment(source)  # none of the shapes is refused: each is checked and rendered
        best = min(best, time.perf_counter() - started)
    return best


def test_checking_and_rendering_a_comment_costs_time_in_proportion_to_its_length():
    sources = {name: {length: hostile(name, length) for length in LENGTHS} for name in SHAPES}
    sources["plain prose (to compare)"] = {length: ("Words of a note. " * 700)[:length] for length in LENGTHS}
    header = f"{'shape':38}" + "".join(f"{f'ms/1k at {length:,}':>16}" for length in LENGTHS) + f"{'10k/1k':>9}"
    lines = ["", "Checking and rendering one comment (comments.read_comment)", header]
    for name, by_length in sources.items():
        seconds = {length: best_time(source) for length, source in by_length.items()}
        per_thousand = "".join(f"{seconds[length] * 1e6 / length:16.2f}" for length in LENGTHS)
        lines.append(f"{name:38}{per_thousand}{seconds[10_000] / seconds[1_000]:9.1f}")
    print("\n".join(lines))
