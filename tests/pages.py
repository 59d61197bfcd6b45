"""Read rendered HTML as a browser holds it: elements found by tag, class, id or attribute.

A regular expression over the markup breaks when an attribute moves, a class is added or
quoting changes; a parsed page does not care. Built on the standard library's html.parser:

    card = parse(page).one("article", class_="note", id=f"note-{note.pk}")
    card.classes, card["data-annotation"], card.text, card.html

Keyword names stand for attributes with `_` written for `-` (`data_key` is `data-key`,
`class_` is `class`). A value of True asks only that the attribute be there; `class_` asks for
each of its space-separated classes; any other value must equal the attribute's.
"""

import functools
import itertools
from html.parser import HTMLParser

# Elements that have no content and no end tag (the HTML standard's "void elements").
VOID_ELEMENTS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


class Element:
    """One element: tag, attributes, what it contains, and where it stands in the page's source."""

    def __init__(self, tag, attrs, source, start, inner_start, parent=None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.contents = []  # child elements and text, in order
        self.source = source
        self.start, self.inner_start = start, inner_start  # its start tag begins; its content begins
        self.inner_end = self.end = len(source)  # its end tag begins; it ends (set when the end tag is read)

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    @property
    def id(self):
        return self.attrs.get("id")

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    @property
    def children(self):
        return [child for child in self.contents if isinstance(child, Element)]

    @property
    def text(self):
        """Its text as a browser reads it: tags dropped, character references decoded."""
        return "".join(child if isinstance(child, str) else child.text for child in self.contents)

    @property
    def value(self):
        """What a form control holds, as a browser submits it: an input's value, a textarea's text
        (a parser drops one newline right after <textarea>), the selected option of a select."""
        if self.tag == "textarea":
            return self.text[1:] if self.text.startswith("\n") else self.text
        if self.tag == "select":
            chosen = self.find("option", selected=True) or self.find("option")
            return chosen.get("value", chosen.text) if chosen else None
        return self.attrs.get("value", "")

    @property
    def html(self):
        """Its source, from its start tag to its end tag."""
        return self.source[self.start : self.end]

    @property
    def inner_html(self):
        return self.source[self.inner_start : self.inner_end]

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()

    def find_all(self, tag=None, **attributes):
        """The elements inside this one with this tag (any, if None) and these attributes, in page order."""
        wanted = {_attribute_name(name): value for name, value in attributes.items()}
        return [element for element in self.descendants() if element._matches(tag, wanted)]

    def find(self, tag=None, **attributes):
        """The first element `find_all` would give, or None."""
        return next(iter(self.find_all(tag, **attributes)), None)

    def one(self, tag=None, **attributes):
        """The one element `find_all` gives; fails the test if there is none or more than one."""
        found = self.find_all(tag, **attributes)
        assert len(found) == 1, f"{len(found)} elements match {tag or '*'} {attributes}, not 1"
        return found[0]

    def _matches(self, tag, wanted):
        if tag is not None and self.tag != tag:
            return False
        for name, value in wanted.items():
            if name not in self.attrs:
                return False
            if name == "class" and value is not True:
                if not set(value.split()) <= set(self.classes):
                    return False
            elif value is not True and self.attrs[name] != value:
                return False
        return True


def _attribute_name(keyword):
    return keyword.rstrip("_").replace("_", "-")


class Page(Element):
    """A whole page or a fragment of one, parsed."""

    def __init__(self, source):
        super().__init__("#document", {}, source, 0, 0)
        _TreeBuilder(self).build()


@functools.lru_cache(maxsize=16)
def _parse(source):
    return Page(source)


def parse(page):
    """The parsed page for HTML text (parsed once however often it is asked for); an Element as it is."""
    return page if isinstance(page, Element) else _parse(page)


def visible_text(fragment):
    """The text of HTML (text or an Element) with tags dropped, entities decoded and white space collapsed."""
    return " ".join(parse(fragment).text.split())


def block_inner_html(page):
    """{paragraph key: inner HTML of its `.block-text` element} on a reading page, in page order."""
    return {block["data-key"]: block.inner_html for block in parse(page).find_all("div", class_="block-text")}


class _TreeBuilder(HTMLParser):
    """Builds the element tree of a page, noting where each element starts and ends in the source.

    The pages under test are well formed, so this knows no more of HTML's repair rules than
    that an end tag closes whatever was left open inside its element, and that an end tag
    with no open element to close is ignored, as a browser ignores it.
    """

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page, self.open = page, [page]
        self.line_starts = [0, *itertools.accumulate(len(line) + 1 for line in page.source.split("\n"))]

    def build(self):
        self.feed(self.page.source)
        self.close()

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self.position()
        values = {}
        for name, value in attrs:
            values.setdefault(name, value or "")  # as in a browser, the first of a repeated attribute counts
        parent = self.open[-1]
        element = Element(tag, values, self.page.source, start, start + len(self.get_starttag_text()), parent)
        parent.contents.append(element)
        if tag in VOID_ELEMENTS:
            element.inner_end = element.end = element.inner_start
        else:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:  # <tag/>: an empty element, as XHTML writes one
            element = self.open.pop()
            element.inner_end = element.end = element.inner_start

    def handle_endtag(self, tag):
        closing = next((n for n in range(len(self.open) - 1, 0, -1) if self.open[n].tag == tag), None)
        if closing is None:
            return
        start = self.position()
        for inside in self.open[closing + 1 :]:  # left open inside the element: they end here too
            inside.inner_end = inside.end = start
        element = self.open[closing]
        element.inner_end, element.end = start, self.page.source.index(">", start) + 1
        del self.open[closing:]

    def handle_data(self, data):
        self.open[-1].contents.append(data)
