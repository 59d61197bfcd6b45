"""Comments are Markdown that cannot run anything: an XSS corpus through check, render, the web and the page."""

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotations.comments import (
    COMMENT_ATTRIBUTES,
    COMMENT_LINK_REL,
    COMMENT_TAGS,
    MAX_COMMENT_LENGTH,
    check_comment,
    render_comment,
)
from annotations.models import Annotation
from reader.rendering import sanitize
from tests.annotations.factories import (
    create_url,
    note_card,
    note_on_article,
    reading_page,
)

REFUSED, HARMLESS = "refused", "harmless"

# (payload, what must happen). REFUSED: check_comment must say why. HARMLESS: the payload is not
# active content once Markdown has read it (a browser would not run it either); it may be accepted,
# and then its rendering must be safe.
CORPUS = [
    ("<script>alert(1)</script>", REFUSED),
    ("<SCRIPT>alert(1)</SCRIPT>", REFUSED),
    ("<ScRiPt>alert(1)</sCrIpT>", REFUSED),
    ('<script src="https://evil.example/x.js"></script>', REFUSED),
    ("<scr<script>ipt>alert(1)</script>", REFUSED),
    ("<script/xss src=//evil.example/x.js></script>", REFUSED),
    ("<img src=x onerror=alert(1)>", REFUSED),
    ('<IMG SRC=x ONERROR="alert(1)">', REFUSED),
    ('<img src="x" onerror  =  "alert(1)">', REFUSED),
    ("<img src=x\x0conerror=alert(1)>", REFUSED),
    ("<img/src=x/onerror=alert(1)>", HARMLESS),  # a browser reads src="x/onerror=alert(1)"
    ('<img src="x"/onerror=alert(1)>', HARMLESS),  # Markdown escapes it to text
    ("<svg onload=alert(1)>", REFUSED),
    ("<svg/onload=alert(1)>", REFUSED),
    ("<svg><script>alert(1)</script></svg>", REFUSED),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', REFUSED),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", REFUSED),
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', REFUSED),
    ('<iframe src="javascript:alert(1)"></iframe>', REFUSED),
    ('<a href="javascript:alert(1)">x</a>', REFUSED),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', REFUSED),
    ('<A HREF="javascript:alert(1)">x</A>', REFUSED),
    ("<a href=javascript:alert(1)>x</a>", REFUSED),
    ('<a href="&#106;avascript:alert(1)">x</a>', REFUSED),
    ('<a href="&#x6A;avascript:alert(1)">x</a>', REFUSED),
    ('<a href="&#X6A;avascript:alert(1)">x</a>', REFUSED),
    ('<a href="&#0000106&#0000097vascript:alert(1)">x</a>', REFUSED),
    ('<a href="jav&Tab;ascript:alert(1)">x</a>', REFUSED),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', REFUSED),
    ('<a href="java&NewLine;script:alert(1)">x</a>', REFUSED),
    ('<a href="javascript&colon;alert(1)">x</a>', REFUSED),
    ('<a href="javascript&#58;alert(1)">x</a>', REFUSED),
    ('<a href=" javascript:alert(1)">x</a>', REFUSED),
    ('<a href="java\nscript:alert(1)">x</a>', REFUSED),
    ('<a href="java\x00script:alert(1)">x</a>', REFUSED),
    ('<a href="\x01javascript:alert(1)">x</a>', REFUSED),
    ('<a\nhref="javascript:alert(1)">x</a>', REFUSED),
    ('<a href="javascript://%0aalert(1)">x</a>', REFUSED),
    ('<a href="vbscript:msgbox(1)">x</a>', REFUSED),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', REFUSED),
    ('<a href="https://ok.example/" onclick="alert(1)">x</a>', REFUSED),
    ("[x](javascript:alert(1))", REFUSED),
    ("[x](JaVaScRiPt:alert(1))", REFUSED),
    ("[x](  javascript:alert(1)  )", REFUSED),
    ("[x](<javascript:alert(1)>)", REFUSED),
    ("[x](&#106;avascript:alert(1))", REFUSED),
    ("[x](javascript&#58;alert(1))", REFUSED),
    ("[x](vbscript:msgbox(1))", REFUSED),
    ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", REFUSED),
    ("[x][1]\n\n[1]: javascript:alert(1)", REFUSED),
    ("![x](javascript:alert(1))", REFUSED),
    ("<javascript:alert(1)>", HARMLESS),
    ('<form action="javascript:alert(1)"><button>go</button></form>', REFUSED),
    ("<form><button formaction=javascript:alert(1)>go</button></form>", REFUSED),
    ('<object data="javascript:alert(1)"></object>', REFUSED),
    ('<embed src="https://evil.example/x.swf">', REFUSED),
    ('<base href="https://evil.example/">', REFUSED),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', REFUSED),
    ("<style>@import 'https://evil.example/x.css';</style>", REFUSED),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', REFUSED),
    ('<p style="width: expression(alert(1))">x</p>', REFUSED),
    ('<p STYLE="background:url(javascript:alert(1))">x</p>', REFUSED),
    ("<details open ontoggle=alert(1)>", REFUSED),
    ("<body onload=alert(1)>", REFUSED),
    ("<input autofocus onfocus=alert(1)>", REFUSED),
    ("<video><source onerror=alert(1)></video>", REFUSED),
    ("<marquee onstart=alert(1)>x</marquee>", REFUSED),
    ('<div onmouseover="alert(1)">hover</div>', REFUSED),
    ("<x onclick=alert(1)>click</x>", REFUSED),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', REFUSED),
    ('<!--<img src="--><img src=x onerror=alert(1)//">', HARMLESS),  # Markdown escapes it to text
    ("<textarea><script>alert(1)</script></textarea>", REFUSED),
    ("<template><script>alert(1)</script></template>", REFUSED),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', REFUSED),
    ('<isindex action="javascript:alert(1)" type="image">', REFUSED),
    ("{{7*7}}", HARMLESS),
    ('{% now "Y" %}', HARMLESS),
    ("{{ request.user.password }}", HARMLESS),
    ("`<script>alert(1)</script>`", HARMLESS),
]
PAYLOADS = [pytest.param(payload, expected, id=f"{n:02}") for n, (payload, expected) in enumerate(CORPUS)]

ACTIVE_ELEMENTS = re.compile(r"<(script|iframe|object|embed|svg|math|style|form|base|meta|link|img|input)\b", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class Attributes(HTMLParser):
    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.values = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.values.extend(value or "" for _, value in attrs)


def assert_harmless(fragment):
    """No script, event handler, style, active element or script-running URL anywhere in `fragment`."""
    assert "<script" not in fragment.lower()
    assert not ACTIVE_ELEMENTS.search(fragment), fragment
    assert not EVENT_HANDLER.search(fragment), fragment
    assert not STYLE_ATTRIBUTE.search(fragment), fragment
    flattened = INVISIBLE.sub("", html.unescape(fragment)).lower()
    for value in Attributes(fragment).values:
        flattened += INVISIBLE.sub("", value).lower()
    for scheme in BAD_SCHEMES:
        assert scheme not in flattened, (scheme, fragment)


# The corpus, function by function --------------------------------------------------------


@pytest.mark.parametrize(("payload", "expected"), PAYLOADS)
def test_check_comment_refuses_active_content_or_the_rendering_is_harmless(payload, expected):
    problem = check_comment(payload)
    if expected == REFUSED:
        assert problem, f"not refused: {payload!r}"
        assert "not allowed" in problem
        assert "backticks" in problem
    if not problem:
        assert_harmless(render_comment(payload))


@pytest.mark.parametrize(("payload", "expected"), PAYLOADS)
def test_even_a_refused_payload_renders_harmless(payload, expected):
    """The check is a courtesy to the author; the sanitizer alone must already be safe."""
    assert_harmless(render_comment(payload))


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40
    assert sum(expected == REFUSED for _, expected in CORPUS) >= 40


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ("<script>alert(1)</script>", "a <script> element"),
        ("<img src=x onerror=alert(1)>", "an event handler (onerror)"),
        ("[x](JaVaScRiPt:alert(1))", "(javascript:)"),
        ("[x](data:text/html,hi)", "(data:)"),
        ('<p style="color:red">x</p>', "a style attribute"),
    ],
)
def test_the_refusal_names_what_was_found(payload, named):
    assert named in check_comment(payload)


# What a comment may hold -----------------------------------------------------------------


def test_markdown_renders_to_html():
    rendered = render_comment("**bold** and *em*\n\n- one\n- two\n\n> quoted")
    assert "<strong>bold</strong>" in rendered
    assert "<em>em</em>" in rendered
    assert "<li>one</li>" in rendered
    assert "<blockquote>" in rendered


def test_links_get_rel_nofollow_noopener_noreferrer_ugc():
    for source in ("[site](https://example.org/)", "<https://example.org/>", '<a href="http://example.org/">x</a>'):
        assert check_comment(source) is None
        rendered = render_comment(source)
        assert f'rel="{COMMENT_LINK_REL}"' in rendered
        assert rendered.count("<a ") == rendered.count(f'rel="{COMMENT_LINK_REL}"')


def test_a_mailto_link_is_allowed():
    assert check_comment("[write](mailto:a@example.org)") is None
    assert 'href="mailto:a@example.org"' in render_comment("[write](mailto:a@example.org)")


def test_a_script_in_backticks_is_accepted_and_shown_as_text():
    assert check_comment("`<script>alert(1)</script>`") is None
    assert render_comment("`<script>alert(1)</script>`") == "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>"


def test_a_script_in_a_fenced_block_is_accepted_and_shown_as_text():
    source = "```\n<script>alert(1)</script>\n```"
    assert check_comment(source) is None
    assert "&lt;script&gt;" in render_comment(source)


def test_template_syntax_is_shown_as_written():
    assert render_comment("{{7*7}} {% now 'Y' %}") == "<p>{{7*7}} {% now 'Y' %}</p>"


def test_images_and_big_headings_are_dropped_but_their_text_stays():
    rendered = render_comment("# Title\n\n![alt](https://example.org/a.png)")
    assert "<img" not in rendered
    assert "<h1" not in rendered
    assert "Title" in rendered


def test_a_comment_at_the_limit_is_accepted_and_one_over_is_refused():
    assert check_comment("x" * MAX_COMMENT_LENGTH) is None
    problem = check_comment("x" * (MAX_COMMENT_LENGTH + 1))
    assert problem == "The comment is 10,001 characters long; the limit is 10,000."


# Sanitizing twice equals sanitizing once -------------------------------------------------


def sanitize_comment(fragment):
    return sanitize(fragment, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES, link_rel=COMMENT_LINK_REL)


TOKENS = st.sampled_from(
    [
        "<p>", "</p>", "<b>", "</b>", "<em>", "</em>", "<a href='https://x.example/?a=1&b=2'>",
        "<a href='javascript:alert(1)'>", "</a>", "<ul>", "<li>", "</li>", "</ul>", "<blockquote>",
        "</blockquote>", "<code>", "</code>", "<table>", "<tr>", "<td>", "</table>", "<div>", "</div>",
        "<script>", "</script>", "<style>", "</style>", "<img src=x onerror=alert(1)>", "<br>", "<hr>",
        "<h3>", "</h3>", "<pre>", "</pre>", "<svg>", "<math>", "<!--", "-->", "<textarea>", "</textarea>", "<noscript>",
        "text", " ", "\n", "&amp;", "&lt;", "&", "<", ">", "\"", "'", "😀", "평화", "\x00",
    ]
)  # fmt: skip
FRAGMENTS = st.lists(TOKENS, max_size=30).map("".join)


@settings(max_examples=5 * settings.default.max_examples, deadline=None)
@given(FRAGMENTS)
@example("<b><p>x</b>y</p>")
@example("<pre></b>\n\n\n\n")  # each cleaning dropped the newline after <pre>
@example("<a href='https://x.example/'><a href='https://y.example/'>z</a></a>")
def test_sanitizing_twice_equals_sanitizing_once(fragment):
    once = sanitize_comment(fragment)
    assert sanitize_comment(once) == once


@settings(max_examples=3 * settings.default.max_examples, deadline=None)
@given(st.text(max_size=200))
def test_rendering_any_text_gives_html_that_sanitizing_leaves_alone(source):
    rendered = render_comment(source)
    assert sanitize_comment(rendered) == rendered
    assert not ACTIVE_ELEMENTS.search(rendered)
    assert not EVENT_HANDLER.search(rendered)


# Through the web -------------------------------------------------------------------------


@pytest.fixture
def signed_in_alice(client, alice):
    client.force_login(alice)
    return client


def active_element_counts(page):
    return sorted(tag.lower() for tag in ACTIVE_ELEMENTS.findall(page))


@pytest.mark.django_db
@pytest.mark.parametrize(("payload", "expected"), PAYLOADS)
def test_posting_the_corpus_stores_nothing_active_and_the_page_shows_nothing_active(
    signed_in_alice, article, payload, expected
):
    before = reading_page(signed_in_alice, article)
    response = signed_in_alice.post(create_url(article), {"comment": payload, "visibility": "public"})
    if expected == REFUSED or response.status_code == 400:
        assert response.status_code == 400
        assert "not allowed" in html.unescape(response.content.decode())
        assert not Annotation.objects.exists()
        return
    assert response.status_code == 302
    note = Annotation.objects.get()
    assert_harmless(note.comment_html)
    page = reading_page(signed_in_alice, article)
    assert_harmless(note_card(page, note).html)
    assert active_element_counts(page) == active_element_counts(before)
    assert not EVENT_HANDLER.search(page)


@pytest.mark.django_db
def test_a_script_in_backticks_reaches_the_page_as_text(signed_in_alice, article):
    response = signed_in_alice.post(create_url(article), {"comment": "Try `<script>alert(1)</script>` here"})
    assert response.status_code == 302
    card = note_card(reading_page(signed_in_alice, article), Annotation.objects.get()).html
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in card


@pytest.mark.django_db
def test_a_comment_is_rendered_once_on_save_and_again_on_edit(alice, article):
    note = note_on_article(alice, article, comment="[site](https://example.org/) **now**")
    assert note.comment_html == (
        f'<p><a href="https://example.org/" rel="{COMMENT_LINK_REL}">site</a> <strong>now</strong></p>'
    )
    note.comment = "*edited*"
    note.save()
    assert Annotation.objects.get(pk=note.pk).comment_html == "<p><em>edited</em></p>"


@pytest.mark.django_db
def test_an_oversize_comment_posted_on_the_web_is_refused_with_the_limit(signed_in_alice, article):
    response = signed_in_alice.post(create_url(article), {"comment": "x" * (MAX_COMMENT_LENGTH + 1)})
    assert response.status_code == 400
    assert "the limit is 10,000" in response.content.decode()
    assert not Annotation.objects.exists()


@pytest.mark.django_db
def test_a_comment_with_a_nul_character_is_refused_or_stored_without_it(signed_in_alice, article):
    response = signed_in_alice.post(create_url(article), {"comment": "before\x00after"})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "\x00" not in Annotation.objects.get().comment
    else:
        assert not Annotation.objects.exists()
