"""A running server passes every MUST of the W3C Web Annotation Protocol checks (../shared/w3c)."""

import pytest

from tests.annotations.factories import many_notes, note_on_quote


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("others", [0, 200], ids=["one page", "two pages"])
def test_the_running_server_passes_the_protocol_musts(live_server, w3c_script, article, alice, issue_token, others):
    check_protocol = w3c_script("check_protocol")
    note = note_on_quote(alice, article, "abrupt policy changes", visibility="public")
    many_notes(article, [alice], others)
    container = f"{live_server.url}/api/articles/{article.slug}/annotations/"
    check_protocol.EXTRA_HEADERS["Authorization"] = f"Bearer {issue_token(alice)}"
    results = check_protocol.check_server(
        container, f"{container}{note.pk}", target=f"{live_server.url}/articles/{article.slug}/"
    )
    check_protocol.report(results)  # the table, so a failure shows which check and why
    must_failures = [text for level, ok, text in results if level == "MUST" and not ok]
    assert len(results) >= (49 if others else 47)  # with two pages, `next` and `prev` are checked too
    assert must_failures == []
