"""Exports of the notebook: Markdown (a file, or a zip of files), CSV and W3C JSON-LD; streamed, and only what the
reader can see (by default only their own)."""

import csv
import io
import json
import zipfile

import pytest
from django.http import StreamingHttpResponse

from annotations.models import Annotation
from tests.annotations.factories import note_on_quote
from tests.api import test_w3c_model

pytestmark = pytest.mark.django_db
suite, must_failures = test_w3c_model.suite, test_w3c_model.must_failures  # the W3C data-model suite
EXPORT, API = "/notebook/export/", "/api/notebook/export"


def body(response):
    assert response.status_code == 200, response
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def exported(client, query, url=EXPORT):
    return body(client.get(url + query)).decode("utf-8-sig")


def csv_rows(client, query="?format=csv", url=EXPORT):
    return list(csv.DictReader(io.StringIO(exported(client, query, url))))


def jsonld(client, query="?format=jsonld"):
    response = client.get(API + query)
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(body(response))


def message(response):
    """What a refusal says: the API's JSON message, or the page's text."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def comments_in(text):
    return {name for name in ("Secret", "For the seminar", "Public", "Bob says", "Bob's secret") if name in text}


# Markdown ----------------------------------------------------------------------------------


def test_an_articles_notes_are_one_markdown_file_with_front_matter_and_links_back(client, alice, article, cast):
    client.force_login(alice)
    response = client.get(EXPORT + f"?article={article.slug}&format=md")
    assert response["Content-Disposition"] == f'attachment; filename="{article.slug}.md"'
    text = body(response).decode()
    front, _, notes = text.removeprefix("---\n").partition("\n---\n")
    assert front.splitlines()[:2] == ['title: "North Korean Missile Crisis"', 'author: "WON Youngsu"']
    assert f'source: "http://testserver/articles/{article.slug}/"' in front
    assert "notes: 4" in front
    tagged = cast["tagged"]
    assert "> frequent abrupt policy changes\n" in notes
    assert "Secret *thought*\n" in notes
    assert "Tags: #Cold-War #peace\n" in notes
    assert f"[Open in Marginalia](http://testserver/articles/{article.slug}/#{tagged.start_key})" in notes
    assert notes.index("North Korea shot the missiles") < notes.index("frequent abrupt") < notes.index("money forgery")
    assert "Bob" not in notes


def test_notes_on_many_articles_are_a_zip_of_markdown_files(client, alice, article, cast):
    client.force_login(alice)
    response = client.get(EXPORT + "?format=md")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert sorted(archive.namelist()) == ["north-korean-missile-crisis.md", "second-reading.md"]
    second = archive.read("second-reading.md").decode()
    assert second.startswith('---\ntitle: "A Second Reading"\n')
    assert "*On the whole article.*" in second
    assert "notes: 1" in second
    assert "notes: 4" in archive.read("north-korean-missile-crisis.md").decode()


def test_a_multi_line_quote_stays_one_quote_block(client, alice, article):
    from tests.annotations.factories import note_on_range, text_of

    first, second = text_of(article).paragraphs[1:3]
    note_on_range(alice, article, first.key, len(first.text) - 5, second.key, 9)
    client.force_login(alice)
    text = exported(client, f"?article={article.slug}&format=md")
    block = [line for line in text.splitlines() if line.startswith(">")]
    assert block == [f"> {first.text[-5:]}", ">", f"> {second.text[:9]}"]


# CSV ---------------------------------------------------------------------------------------


def test_csv_has_a_row_per_note_and_every_cell_is_formula_safe(client, alice, cast):
    client.force_login(alice)
    rows = csv_rows(client)
    assert len(rows) == 5
    whole = next(row for row in rows if row["id"] == str(cast["whole"].pk))
    assert whole["comment"].startswith("'=HYPERLINK")
    tagged = next(row for row in rows if row["id"] == str(cast["tagged"].pk))
    assert tagged["tags"] == "Cold War, peace"
    assert tagged["quote"] == "frequent abrupt policy changes"
    assert tagged["place"].endswith(f"#{cast['tagged'].start_key}")
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), value


def test_csv_quotes_a_leading_tab_too(client, alice, article):
    note_on_quote(alice, article, "North Korea shot the missiles", suffix=", surprising", comment="\t=1+1")
    client.force_login(alice)
    (row,) = csv_rows(client)
    assert row["comment"].startswith("'")


# W3C JSON-LD -------------------------------------------------------------------------------


def test_jsonld_is_a_valid_annotation_collection(client, alice, cast, suite):
    client.force_login(alice)
    collection = jsonld(client)
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 5
    items = collection["first"]["items"]
    assert [item["id"].rsplit("/", 1)[1] for item in items] == [
        str(cast[name].pk) for name in ("whole", "private", "tagged", "seminar", "public")
    ]
    assert must_failures(suite, collection) == []
    page = {"@context": collection["@context"], **collection["first"]}
    assert must_failures(suite, page) == []
    for item in items:
        assert must_failures(suite, {"@context": collection["@context"], **item}) == []
    tagged = items[2]
    assert {"type": "TextQuoteSelector", "exact": "frequent abrupt policy changes"}.items() <= next(
        selector for selector in tagged["target"]["selector"] if selector["type"] == "TextQuoteSelector"
    ).items()


def test_the_web_export_sends_jsonld_to_the_api_with_the_same_filters(client, alice, cast):
    client.force_login(alice)
    response = client.get(EXPORT + "?tag=peace&format=jsonld")
    assert response.status_code == 302
    assert response["Location"] == API + "?tag=peace&format=jsonld"
    assert jsonld(client, "?tag=peace&format=jsonld")["total"] == 1


def test_the_api_export_takes_a_token(client, alice, cast, issue_token):
    response = client.get(API + "?format=csv", headers={"Authorization": f"Bearer {issue_token(alice)}"})
    assert len(list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))) == 5


def test_the_api_export_is_in_openapi(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"]["/api/notebook/export"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"format", "scope", "article", "tag"}


# Who sees what, on every path ----------------------------------------------------------------


@pytest.mark.parametrize("scope", ["", "&scope=all"])
@pytest.mark.parametrize("format", ["md", "csv", "jsonld"])
@pytest.mark.parametrize("url", [EXPORT, API])
def test_carol_exports_none_of_alices_private_or_seminar_notes(client, charlie, cast, scope, format, url):
    client.force_login(charlie)
    response = client.get(url + f"?format={format}{scope}", follow=True)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if format == "md" and response["Content-Type"] == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(data))
        data = b"".join(archive.read(name) for name in archive.namelist())
    text = data.decode("utf-8-sig")
    assert comments_in(text) == ({"Public", "Bob says"} if scope else set())
    assert "frequent abrupt policy changes" not in text


@pytest.mark.parametrize("format", ["csv", "jsonld"])
def test_seminar_notes_are_exported_for_its_members_only(client, bob, curator, cast, format):
    client.force_login(bob)
    assert comments_in(exported(client, f"?format={format}&scope=all", API)) == {
        "For the seminar", "Public", "Bob says", "Bob's secret",
    }  # fmt: skip
    client.force_login(curator)
    assert comments_in(exported(client, f"?format={format}&scope=all", API)) == {"Public", "Bob says"}


def test_by_default_the_export_is_only_my_own_notes(client, bob, cast):
    client.force_login(bob)
    assert comments_in(exported(client, "?format=csv")) == {"Bob says", "Bob's secret"}


# Bad requests ---------------------------------------------------------------------------------


def test_signing_in_is_needed(client, cast):
    assert client.get(EXPORT + "?format=csv").status_code == 302
    response = client.get(API + "?format=csv")
    assert response.status_code == 401
    assert "Sign in" in message(response)


@pytest.mark.parametrize("url", [EXPORT, API])
def test_an_unknown_format_is_a_400(client, alice, cast, url):
    client.force_login(alice)
    response = client.get(url + "?format=docx")
    assert response.status_code == 400
    assert "There is no export format “docx”" in message(response)


@pytest.mark.parametrize("url", [EXPORT, API])
def test_a_bad_filter_is_a_400(client, alice, cast, url):
    client.force_login(alice)
    response = client.get(url + "?format=csv&article=nowhere")
    assert response.status_code == 400
    assert "There are no notes you can see on an article “nowhere”." in message(response)


def test_an_export_with_nothing_in_it_still_has_its_header(client, charlie, article):
    client.force_login(charlie)
    assert exported(client, "?format=csv").splitlines() == [
        "id,article,article_url,place,quote,comment,tags,visibility,seminar,anchor_status,author,created,modified"
    ]
    assert jsonld(client)["total"] == 0


def test_orphaned_notes_are_exported_with_their_quote(client, alice, cast):
    Annotation.objects.filter(pk=cast["private"].pk).update(anchor_status="orphaned")
    client.force_login(alice)
    text = exported(client, "?format=md&article=north-korean-missile-crisis")
    assert "> North Korea shot the missiles\n\n*The text no longer holds these words" in text
