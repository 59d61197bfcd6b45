"""Moderation in the browser: bob flags alice's public note, the curator hides it with a reason from
the queue, alice reads the reason, and the audit log shows each step. Screenshots of the flag form,
the queue and the audit log at a phone's and a laptop's width go to tests/browser/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from moderation.models import AuditEntry, Flag
from tests.browser.reading import note_on, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}


@pytest.fixture
def shared(alice, article):
    return note_on(alice, article, "unpredictability", comment="Buy cheap shoes at example.com!", visibility="public")


@pytest.mark.parametrize("size", SIZES)
def test_bob_flags_the_curator_hides_with_a_reason_alice_reads_it_and_the_log_keeps_it(
    new_page, alice, bob, curator, shared, size, browser_errors
):
    SCREENSHOTS.mkdir(exist_ok=True)
    viewport = SIZES[size]

    as_bob = new_page(viewport=viewport)
    sign_in(as_bob, bob)
    as_bob.goto(f"/moderation/notes/{shared.pk}/flag/")
    as_bob.get_by_role("radio", name="Something else").check()
    as_bob.get_by_label("In a sentence").fill("An advert for shoes.")
    as_bob.screenshot(path=SCREENSHOTS / f"moderation-flag-{size}.png", full_page=True)
    as_bob.get_by_role("button", name="Flag the note").click()
    expect(as_bob.locator(".messages")).to_contain_text("moderators will look")
    assert Flag.objects.get().flagger == bob

    as_curator = new_page(viewport=viewport)
    sign_in(as_curator, curator)
    as_curator.goto("/")
    expect(as_curator.locator(".site-nav")).to_contain_text("Moderation")
    expect(as_curator.get_by_label("1 awaiting moderation")).to_be_visible()
    as_curator.goto("/moderation/")
    item = as_curator.locator(f"#item-{shared.pk}")
    expect(item).to_contain_text("1 flag")
    expect(item).to_contain_text("An advert for shoes.")
    expect(item).to_contain_text("Buy cheap shoes")
    as_curator.screenshot(path=SCREENSHOTS / f"moderation-queue-{size}.png", full_page=True)
    item.get_by_label("Reason, for the author").fill("Advertising is not allowed here.")
    item.get_by_role("button", name="Hide").click()
    expect(as_curator.locator(f"#item-{shared.pk}")).to_contain_text("Hidden: its author sees why.")
    assert Annotation.objects.get(pk=shared.pk).hidden_reason == "Advertising is not allowed here."

    as_alice = new_page(viewport=viewport)
    sign_in(as_alice, alice)
    as_alice.goto(shared.article.get_absolute_url())
    card = as_alice.locator(f"#note-{shared.pk}")
    expect(card).to_contain_text("A moderator hid this note: “Advertising is not allowed here.”")
    expect(card.locator("button", has_text="Ask to show it again")).to_have_count(1)
    as_alice.goto("/inbox/")
    expect(as_alice.locator(".inbox")).to_contain_text("curator hid your note")
    expect(as_alice.locator("main")).not_to_contain_text("bob")  # never told who flagged

    as_curator.goto("/moderation/log/")
    log = as_curator.locator(".mod-log tbody")
    expect(log.locator("tr")).to_have_count(2)
    expect(log.locator("tr").nth(0)).to_contain_text("hid a note")
    expect(log.locator("tr").nth(0)).to_contain_text("Advertising is not allowed here.")
    expect(log.locator("tr").nth(1)).to_contain_text("flagged a note")
    expect(log.locator("tr").nth(1)).to_contain_text("An advert for shoes.")
    as_curator.screenshot(path=SCREENSHOTS / f"moderation-log-{size}.png", full_page=True)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["hide", "flag"]
    assert browser_errors == []


def test_the_flag_form_opens_in_the_card_and_a_refusal_stays_in_it(new_page, bob, shared):
    page = new_page()
    sign_in(page, bob)
    page.goto(shared.article.get_absolute_url())
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    card = page.locator(f"#note-{shared.pk}")
    card.get_by_role("link", name="Flag").click()
    form = page.locator(f"#flag-form-{shared.pk}")
    expect(form).to_be_visible()
    form.get_by_role("radio", name="Something else").check()
    form.get_by_role("button", name="Flag the note").click()
    expect(page.locator(f"#flag-form-{shared.pk} [role=alert]")).to_contain_text("needs a few words")
    assert Flag.objects.count() == 0
    page.locator(f"#flag-form-{shared.pk}").get_by_role("radio", name="Spam").check()
    page.locator(f"#flag-form-{shared.pk}").get_by_role("button", name="Flag the note").click()
    expect(page.locator(f"#reply-slot-{shared.pk}")).to_contain_text("moderators will look")
    assert Flag.objects.get().reason == "spam"
