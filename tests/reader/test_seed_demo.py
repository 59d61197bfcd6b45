"""`manage.py seed_demo`: the demo accounts and the seed article, for development only."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from reader.models import Article, Paragraph

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-password-for-tests"


@pytest.fixture
def debug(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("MARGINALIA_DEMO_PASSWORD", DEMO_PASSWORD)


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def state():
    users = get_user_model().objects.order_by("username")
    return (
        list(users.values_list("username", "is_staff", "password")),
        list(Article.objects.values_list("slug", "status", "revision")),
        list(Paragraph.objects.order_by("pk").values_list("pk", "key", "position")),
    )


def test_seed_demo_creates_readers_a_curator_and_the_seed_article(debug):
    out = seed()
    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == {"alice", "bob", "carol", "curator"}
    assert [name for name, user in users.items() if user.is_staff] == ["curator"]
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    article = Article.objects.get()
    assert (article.slug, article.status, article.revision) == ("north-korean-missile-crisis", "published", 1)
    assert article.paragraphs.count() > 20
    assert out.count(DEMO_PASSWORD) == 1


def test_demo_curator_can_log_into_the_admin_and_edit_articles(debug, client):
    seed()
    assert client.login(username="curator", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/reader/article/").status_code == 200
    article = Article.objects.get()
    assert client.get(f"/admin/reader/article/{article.pk}/change/").status_code == 200


def test_demo_reader_cannot_open_the_admin(debug, client):
    seed()
    assert client.login(username="alice", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 302


def test_seeding_twice_changes_nothing(debug):
    seed()
    before = state()
    out = seed()
    assert state() == before
    assert "unchanged" in out
    assert "already exist" in out


def test_seeding_twice_keeps_a_changed_demo_password(debug):
    seed()
    alice = get_user_model().objects.get(username="alice")
    alice.set_password("alices-own-secret")
    alice.save()
    seed()
    alice.refresh_from_db()
    assert alice.check_password("alices-own-secret")


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        seed()
    assert get_user_model().objects.count() == 0
    assert Article.objects.count() == 0
