"""Shared fixtures: alice writes notes, bob reads beside her, charlie has no access, a staff curator;
the seed article; the seminar "Korea 2006", which alice instructs and bob takes part in.
"""

import os
from pathlib import Path

import hypothesis
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils.text import slugify

from reader.importing import import_file
from seminars.models import Membership, Seminar

SEED_ARTICLE = Path(settings.BASE_DIR) / "fixtures" / "north-korean-missile-crisis.md"
RAW_SEED = Path(__file__).parent / "reader" / "data" / "north-korean-missile-crisis.raw.md"
PASSWORD = "correct horse battery staple"

# Property tests: "dev" (the default) keeps a local run quick; "ci" (HYPOTHESIS_PROFILE=ci, set by
# .ci/run) tries five times the examples and drops the deadline, which a busy CI machine would
# miss for reasons that are not the code's. Tests that ask for more examples than the default
# ask for a multiple of `hypothesis.settings.default.max_examples`, so they grow with the profile.
hypothesis.settings.register_profile("dev", max_examples=100)
hypothesis.settings.register_profile("ci", max_examples=500, deadline=None, print_blob=True)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def _make_user(django_user_model, username, **extra):
    return django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD, **extra)


@pytest.fixture
def alice(django_user_model):
    return _make_user(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model):
    return _make_user(django_user_model, "bob")


@pytest.fixture
def charlie(django_user_model):
    return _make_user(django_user_model, "charlie")


@pytest.fixture
def curator(django_user_model):
    return _make_user(django_user_model, "curator", is_staff=True, is_superuser=True)


@pytest.fixture
def article(db):
    """The curated seed article, imported as `make run` imports it."""
    return import_file(SEED_ARTICLE).article


@pytest.fixture
def write_markdown(tmp_path):
    """Write text (or bytes) to a Markdown file in a temporary folder and return its path."""

    def write(content, name="article.md"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


# Seminars ------------------------------------------------------------------------------


@pytest.fixture
def make_seminar(db):
    """Make a seminar with these instructors, participants and reading list (articles, in order).

    The slug is the name's unless given; the description reads "Reading group <name>.".
    """

    def make(name="Korea 2006", slug=None, *, instructors=(), participants=(), articles=()):
        seminar = Seminar.objects.create(name=name, slug=slug or slugify(name), description=f"Reading group {name}.")
        for role, users in [(Membership.Role.INSTRUCTOR, instructors), (Membership.Role.PARTICIPANT, participants)]:
            for user in users:
                Membership.objects.create(seminar=seminar, user=user, role=role)
        for article in articles:
            seminar.add_to_reading_list(article)
        return seminar

    return make


@pytest.fixture
def seminar(make_seminar, alice, bob):
    """The seminar "Korea 2006": alice instructs it, bob takes part; its reading list is empty."""
    return make_seminar(instructors=[alice], participants=[bob])


@pytest.fixture(autouse=True)
def _nothing_counted_yet():
    """Rate limits and the sign-in lockout count in the cache (per process in tests): each test starts
    with nothing counted, so no test runs into the limits of the tests before it."""
    from django.core.cache import cache

    cache.clear()


def pytest_configure(config):
    # Whitenoise warns on every request when `collectstatic` has not filled STATIC_ROOT,
    # which is always the case in development and tests; the warning says nothing about the code.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # The real hasher is slow on purpose (about 0.4 s a user), and nearly every test makes users
    # or signs one in: with it, hashing was 40% of the run. Set here, before any test, it holds
    # for every test, and for the live server of the browser tests, which runs in this process.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run for real, at once, in the test's own thread and database. override_settings
    # (not assignment) tells django-tasks to drop the database backend it may already have made.
    override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}).enable()


# The W3C Web Annotation API ------------------------------------------------------------


@pytest.fixture
def issue_token(db):
    """Make a personal API token; returns the text a script sends as `Authorization: Bearer …`."""
    from accounts.models import ApiToken

    def issue(user, name="tests"):
        return ApiToken.objects.issue(user, name)[1]

    return issue


@pytest.fixture
def annotation_api(client):
    """The test client speaking to /api/ as a script would: JSON-LD bodies, an optional Bearer token."""
    import json

    from django.urls import reverse

    class AnnotationApi:
        article_iri = "http://testserver/articles/{}/"

        def container(self, article):
            return reverse("api:annotations", kwargs={"slug": article.slug})

        def item(self, note):
            return reverse("api:annotation", kwargs={"slug": note.article.slug, "note_id": note.pk})

        def send(self, method, url, data=None, *, token=None, content_type="application/ld+json", **headers):
            if token:
                headers["Authorization"] = f"Bearer {token}"
            body = b"" if data is None else data if isinstance(data, str | bytes) else json.dumps(data)
            return client.generic(method, url, body, content_type=content_type, headers=headers)

    return AnnotationApi()


@pytest.fixture(scope="session")
def w3c_script():
    """Import a script of the W3C conformance kit (../shared/w3c, or $MARGINALIA_W3C_DIR) by name.

    The project runs without the kit: then these tests skip, unless MARGINALIA_REQUIRE_W3C=1 (CI).
    """
    import importlib.util
    import os

    folder = Path(os.environ.get("MARGINALIA_W3C_DIR") or Path(settings.BASE_DIR).parent / "shared" / "w3c")

    def load(name):
        path = folder / f"{name}.py"
        if not path.exists():
            reason = f"the W3C conformance kit is not at {folder} (no {path.name}); set MARGINALIA_W3C_DIR"
            if os.environ.get("MARGINALIA_REQUIRE_W3C") == "1":
                pytest.fail(reason + ", and MARGINALIA_REQUIRE_W3C=1 requires it")
            pytest.skip(reason)
        spec = importlib.util.spec_from_file_location(f"w3c_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.folder = folder
        return module

    return load
