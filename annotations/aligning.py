"""What the old and new texts of an article share, and where it went: the re-anchoring engine's map.

Also `encode`, the engine's way of handing text to edlib.
"""

import bisect
import re

import edlib

from annotations.anchoring import common_prefix

# Text shorter than this that the old and new texts share is taken for chance, not kept text.
MIN_KEPT = 8
# Stretches of changed text longer than this (in characters, old and new together) are not
# compared character by character: their notes are looked for by their words instead.
MAX_COMPARED = 20_000
_CIGAR = re.compile(r"(\d+)([=XID])")


class Alignment:
    """Which characters of the new running text were in the old one, and where.

    A paragraph that kept its key and its text is kept whole. Between two such paragraphs, the
    old paragraphs and the new ones are compared character by character (after their common
    beginning and end are set aside, so one edit costs its own length): the stretches they share
    are kept text. This is what tells an edit inside a quote (both its ends kept) from words
    that were already elsewhere (another passage, kept at another place).
    """

    def __init__(self, before, after):
        same = {
            key
            for key, paragraph in after.by_key.items()
            if key in before.by_key and before.by_key[key].text == paragraph.text
        }
        kept = [
            (before.point(before.by_key[key], 0), after.point(after.by_key[key], 0), len(after.by_key[key].text))
            for key in same
        ]
        old_runs, new_runs = runs_between(before, same), runs_between(after, same)
        for anchor, (old_start, old_end) in old_runs.items():
            if anchor in new_runs:
                new_start, new_end = new_runs[anchor]
                kept += shared(before.text, old_start, old_end, after.text, new_start, new_end)
        kept = [block for block in kept if block[2] > 0]
        self.by_old = sorted(kept)
        self.old_starts = [block[0] for block in self.by_old]
        self.by_new = sorted(kept, key=lambda block: block[1])
        self.new_starts = [block[1] for block in self.by_new]

    def kept(self, old_start, old_end):
        """Where old text old_start..old_end is now, if it was kept whole (in one piece): its new start."""
        i = bisect.bisect_right(self.old_starts, old_start) - 1
        if i >= 0 and old_end <= self.by_old[i][0] + self.by_old[i][2]:
            return self.by_old[i][1] + old_start - self.by_old[i][0]
        return None

    def elsewhere(self, span, old):
        """Whether new text `span` is old text kept from somewhere other than the passage `old`.

        A note with no place (`old` None: suggested or orphaned) may be found on any text.
        """
        i = bisect.bisect_right(self.new_starts, span[0]) - 1
        if i < 0:
            return False
        old_start, new_start, length = self.by_new[i]
        if span[1] > new_start + length:
            return False
        was = (old_start + span[0] - new_start, old_start + span[1] - new_start)
        return old is not None and was != tuple(old)


def runs_between(text, same):
    """{the key of the kept paragraph before it (None at the start): (start, end)} of each run of other paragraphs."""
    runs, anchor = {}, None
    for paragraph in text.paragraphs:
        if paragraph.key in same:
            anchor = paragraph.key
            continue
        end = text.point(paragraph, len(paragraph.text))
        runs[anchor] = (runs[anchor][0] if anchor in runs else text.point(paragraph, 0), end)
    return runs


def shared(old_text, old_start, old_end, new_text, new_start, new_end):
    """[(old point, new point, length)] of the text two stretches share, as one edit's diff would show it.

    Their common beginning and end are set aside first; what lies between is aligned by edlib's
    global alignment (bit-parallel: a 10,000-character stretch takes milliseconds), and only
    matching runs of at least MIN_KEPT characters count. A stretch longer than MAX_COMPARED, or
    with more than 256 kinds of character, is not aligned: its notes are found by their words.
    """
    old, new = old_text[old_start:old_end], new_text[new_start:new_end]
    head = common_prefix(old, new)
    tail = common_prefix(old[head:][::-1], new[head:][::-1])
    blocks = [(old_start, new_start, head)]
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    if old_middle and new_middle and len(old_middle) + len(new_middle) <= MAX_COMPARED:
        blocks += [(old_start + head + i, new_start + head + j, n) for i, j, n in matching_runs(old_middle, new_middle)]
    blocks.append((old_start + len(old) - tail, new_start + len(new) - tail, tail))
    return blocks


def matching_runs(old, new):
    """[(i, j, n)] with old[i:i+n] == new[j:j+n]: the runs of MIN_KEPT or more an optimal alignment keeps."""
    alphabet = {char: i for i, char in enumerate(dict.fromkeys(old + new))}
    if len(alphabet) > 256:
        return []
    encoded_old = bytes(alphabet[char] for char in old)
    encoded_new = bytes(alphabet[char] for char in new)
    path = edlib.align(encoded_old, encoded_new, mode="NW", task="path")["cigar"] or ""
    runs, i, j = [], 0, 0
    for count, op in _CIGAR.findall(path):
        n = int(count)
        if op == "=" and n >= MIN_KEPT:
            runs.append((i, j, n))
        # "=" and "X" step both texts, "I" only the old one (its character is not in the new), "D" only the new.
        i += n if op in "=XI" else 0
        j += n if op in "=XD" else 0
    return runs


def encode(needle, haystack):
    """Both strings as bytes over one small alphabet, as edlib needs (at most 256 symbols).

    Each character of the needle gets its own symbol; every other character of the haystack,
    which can only ever be a mismatch, shares one. None when the needle alone has too many.
    """
    alphabet = {char: i for i, char in enumerate(dict.fromkeys(needle))}
    if len(alphabet) > 255:
        return None
    other = len(alphabet)
    return bytes(alphabet[char] for char in needle), bytes(alphabet.get(char, other) for char in haystack)
