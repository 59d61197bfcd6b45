"""Find the first thing of a kind in raw HTML, reading it once: the base of the refusals that
tell a writer why their Markdown would not render as written (a comment's active content,
a curator's block whose HTML the article's sanitizer would drop).

Python's HTML parser reads on from each "<" to where its construct would end; for text full
of unfinished tags or comments that is the rest of the text, every time. The finder remembers
where an unfinished start tag (`ReadsStartTagsOnce`) or comment stops, so each is read once.
"""

import html
import html.parser
import re

from reader.bounded_blocks import ReadsStartTagsOnce
from reader.rendering import URL_SCHEMES

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url):
    """The scheme a browser would read in `url` (character references decoded, control characters dropped)."""
    match = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url)))
    return match.group(1).lower() if match else ""


def unsafe_url(url):
    scheme = scheme_of(url)
    return bool(scheme) and scheme not in URL_SCHEMES


class HtmlFinder(ReadsStartTagsOnce, html.parser.HTMLParser):
    """Subclasses handle what they look for and call `note` with its description; `first_in` reads."""

    tag_reach = html.parser.locatestarttagend_tolerant

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = None

    @classmethod
    def first_in(cls, raw):
        """The description of the first thing found in `raw`, or None."""
        finder = cls()
        finder.feed(raw)
        finder.close()
        return finder.found

    def note(self, what):
        self.found = self.found or what

    def reset(self):
        super().reset()
        self._no_comment_end = (None, 0)  # (rawdata, from where) no "-->" follows

    def parse_comment(self, i, report=1):
        # The parser looks for the end of each "<!--" in all the rest of the text; where it
        # found none, there is none after a later "<!--" either.
        searched, after = self._no_comment_end
        if searched is self.rawdata and i >= after:
            return -1
        found = super().parse_comment(i, report)
        if found < 0:
            self._no_comment_end = (self.rawdata, i)
        return found

    def parse_html_declaration(self, i):
        # A browser reads any "<!" but a comment as a bogus comment, up to the next ">"; Python's
        # parser reads SGML declarations instead, and raises on some ("<![x").
        return self.parse_bogus_comment(i)
