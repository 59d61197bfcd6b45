"""What a seminar keeps from those outside it: its name, and what its readers may no longer read.

A seminar you are not in does not exist for you: sharing a note with it is refused in the same
words as sharing with a slug nobody uses. Participation lists only the articles the instructor
may read, so an article unpublished since it went on the reading list drops out, title and all.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.writing import NoteError, check_visibility
from reader.models import Article
from tests.annotations.factories import import_markdown, note_on_quote

pytestmark = pytest.mark.django_db

SEMINAR = Annotation.Visibility.SEMINAR


@pytest.fixture
def sem_b(make_seminar, bob):
    return make_seminar("Sem B", "sem-b", instructors=[bob])


def test_sharing_with_someone_elses_seminar_is_refused_as_if_it_did_not_exist(charlie, sem_b):
    with pytest.raises(NoteError) as theirs:
        check_visibility(SEMINAR, "sem-b", charlie)
    with pytest.raises(NoteError) as nobodys:
        check_visibility(SEMINAR, "sem-c", charlie)
    assert "Sem B" not in str(theirs.value)
    assert str(theirs.value) == str(nobodys.value).replace("sem-c", "sem-b")


def test_the_api_tells_a_non_member_nothing_of_the_seminar(annotation_api, issue_token, article, charlie, sem_b):
    token = issue_token(charlie)
    iri = f"http://testserver{article.get_absolute_url()}"
    errors = []
    for slug in ("sem-b", "sem-c"):
        data = {"type": "Annotation", "target": iri, "visibility": "seminar", "seminar": slug}
        response = annotation_api.send("POST", annotation_api.container(article), data, token=token)
        assert response.status_code == 400
        errors.append(response.json()["error"].replace(slug, "SLUG"))
    assert errors[0] == errors[1]
    assert "Sem B" not in errors[0]
    assert not Annotation.objects.exists()


def test_a_member_still_shares_with_her_seminar(bob, sem_b):
    assert check_visibility(SEMINAR, "sem-b", bob) == (SEMINAR, sem_b)


@pytest.fixture
def unpublished(write_markdown, alice, bob, seminar, article):
    """An article on the reading list, with a seminar note on it, unpublished since."""
    withdrawn = import_markdown(write_markdown, "Title: Withdrawn Secret Title\n\nGone soon.\n", slug="withdrawn")
    seminar.add_to_reading_list(article)
    seminar.add_to_reading_list(withdrawn)
    note_on_quote(bob, withdrawn, "Gone soon", visibility=SEMINAR, seminar=seminar)
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.DRAFT)
    return withdrawn


@pytest.mark.parametrize("query", ["", "?format=csv"])
def test_participation_leaves_out_an_article_unpublished_since_it_was_listed(client, alice, unpublished, query):
    client.force_login(alice)
    seminar = unpublished.seminars.get()
    response = client.get(reverse("seminar-participation", args=[seminar.slug]) + query)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Withdrawn Secret Title" not in content
    assert "North Korean" in content  # the article still published stays


def test_staff_instructors_still_see_the_draft_they_may_read(client, curator, unpublished):
    seminar = unpublished.seminars.get()
    seminar.memberships.create(user=curator, role="instructor")
    client.force_login(curator)
    page = client.get(reverse("seminar-participation", args=[seminar.slug])).content.decode()
    assert "Withdrawn Secret Title" in page
