"""Prepared queries (reader.database.Prepared): built by the ORM once, run with new values, and
always the answer the ORM gives; a query whose values shape it is built each time instead."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from annotations import context_processors
from annotations import reading as annotations_reading
from annotations.models import Annotation, Notification
from reader.database import Prepared
from reader.models import Article, Paragraph
from review import scheduling
from review.models import Card
from seminars import models as seminars
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db

# A zone far from UTC, and one on the other side of it: a day starts at another instant in each.
ZONES = [zoneinfo.ZoneInfo("Asia/Seoul"), zoneinfo.ZoneInfo("America/Los_Angeles")]


def kept(prepared):
    """Whether `prepared` runs from the SQL it kept (rather than building the query each time)."""
    return prepared._sql[("default", connection.vendor)] is not None


def answers(prepared, build, *values):
    """The prepared answer to `values`, checked against the ORM's own."""
    queryset = build(*values)
    expected = queryset.exists() if prepared.exists else list(queryset)
    assert prepared(*values) == expected
    return expected


def test_text_and_id_values_answer_as_the_orm_does(article):
    Article.objects.create(slug="other", title="Other", revision=3)

    def build(slug, revision):
        return Article.objects.filter(slug=slug, revision__gte=revision).values_list("slug", "title")

    prepared = Prepared(build, "text", "id")
    assert answers(prepared, build, article.slug, 1) == [(article.slug, article.title)]
    assert answers(prepared, build, "other", 3) == [("other", "Other")]
    assert answers(prepared, build, "other", 4) == []
    assert answers(prepared, build, "nothing'; --", 1) == []  # a value is a parameter, never SQL
    assert kept(prepared)


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_dates_and_times_answer_as_the_orm_does_at_each_edge(article, zone):
    Article.objects.filter(pk=article.pk).update(published_on=datetime.date(2024, 2, 29))
    created = Article.objects.get(pk=article.pk).created

    def by_day(day):
        return Article.objects.filter(published_on__lte=day)

    def before(moment):
        return Article.objects.filter(created__lt=moment)

    prepared_day, prepared_before = Prepared(by_day, "date", exists=True), Prepared(before, "datetime", exists=True)
    with timezone.override(zone):
        assert [answers(prepared_day, by_day, datetime.date(2024, 2, day)) for day in (28, 29)] == [False, True]
        moments = [created.astimezone(zone) + datetime.timedelta(microseconds=step) for step in (0, 1)]
        assert [answers(prepared_before, before, moment) for moment in moments] == [False, True]
    assert kept(prepared_day)
    assert kept(prepared_before)


def test_a_value_that_shapes_the_query_is_caught_and_the_query_built_each_time(article):
    """A value computed on, put in the SQL's text, or deciding a limit: the stand-ins show it, and
    the prepared query gives the ORM's answer by building it with the real value."""
    Article.objects.filter(pk=article.pk).update(revision=2)

    def computed(revision):
        return Article.objects.filter(revision=revision + 1).values_list("slug")

    def inlined(revision):
        return Article.objects.filter(revision=RawSQL(f"SELECT {int(revision)}", [])).values_list("slug")

    def limited(count):
        return Article.objects.values_list("slug")[:count]

    for build, found in (
        (computed, [[(article.slug,)], []]),
        (inlined, [[], [(article.slug,)]]),
        (limited, [[(article.slug,)]] * 2),
    ):
        prepared = Prepared(build, "id")
        assert [answers(prepared, build, value) for value in (1, 2)] == found
        assert not kept(prepared)


def test_a_value_that_reaches_no_parameter_or_is_computed_into_another_is_caught(article):
    """A value the SQL leaves out (ignored, or a comparison the ORM drops as out of a column's range),
    and one computed into what looks like the next value's stand-in: each is built every time."""
    Article.objects.filter(pk=article.pk).update(published_on=datetime.date(2024, 2, 29))

    def ignored(revision):
        return Article.objects.values_list("slug")

    def out_of_range(level):
        return Paragraph.objects.filter(level__lt=level).values_list("pk")

    def computed_into_next(first, second):
        day = datetime.timedelta(days=1)
        return Article.objects.filter(published_on__lt=first + day, published_on__gte=second).values_list("slug")

    for build, values in (
        (ignored, [(1,)]),
        (out_of_range, [(1,), (3,)]),
        (computed_into_next, [(datetime.date(2024, 2, 29), datetime.date(2024, 2, 1))]),
    ):
        prepared = Prepared(build, *(("date", "date") if build is computed_into_next else ("id",)))
        for value in values:
            answers(prepared, build, *value)
        # PostgreSQL drops the comparison with a stand-in beyond a small column's range; SQLite keeps it.
        assert not kept(prepared) or build is out_of_range, build.__name__
    assert answers(prepared, computed_into_next, datetime.date(2024, 2, 29), datetime.date(2024, 2, 1))


def test_a_value_of_the_wrong_kind_is_refused_rather_than_read_otherwise(article):
    """None would be IS NULL to the ORM, a naive time another zone's, a time where a date goes a string."""
    by_day = Prepared(lambda day: Article.objects.filter(published_on__lte=day).values_list("slug"), "date")
    before = Prepared(lambda moment: Article.objects.filter(created__lt=moment), "datetime", exists=True)
    by_slug = Prepared(lambda slug, pk: Article.objects.filter(slug=slug, pk=pk), "text", "id", exists=True)
    for prepared, values in (
        (by_day, (None,)),
        (by_day, (datetime.datetime(2024, 2, 29, tzinfo=datetime.UTC),)),
        (before, (datetime.datetime(2024, 2, 29),)),
        (by_slug, (article.slug, str(article.pk))),
        (by_slug, (None, article.pk)),
    ):
        with pytest.raises(TypeError, match=r"Value \d of this query must be"):
            prepared(*values)
    assert by_slug(article.slug, article.pk) is True
    unkept = Prepared(lambda revision: Article.objects.values_list("slug"), "id")  # its value reaches no parameter
    assert unkept(1) == [(article.slug,)]
    assert not kept(unkept)
    with pytest.raises(TypeError, match="Value 1 of this query must be an int, not None"):
        unkept(None)  # refused alike where the query is built each time


def test_rows_come_as_tuples_whatever_the_database():
    with pytest.raises(TypeError, match="build a values_list"):
        Prepared(lambda slug: Article.objects.filter(slug=slug), "text")("x")
    with pytest.raises(TypeError, match="build a values_list"):
        Prepared(lambda slug: Article.objects.filter(slug=slug).values_list("pk", flat=True), "text")("x")


def test_rows_a_converter_reads_are_built_each_time_where_the_database_needs_one(article):
    """SQLite hands a date back as text, which the ORM converts: such rows are not kept as SQL there."""
    Article.objects.filter(pk=article.pk).update(published_on=datetime.date(2024, 2, 29))
    build = lambda slug: Article.objects.filter(slug=slug).values_list("published_on")  # noqa: E731
    prepared = Prepared(build, "text")
    assert answers(prepared, build, article.slug) == [(datetime.date(2024, 2, 29),)]
    assert kept(prepared) == (connection.vendor != "sqlite")


def test_a_build_that_reads_the_database_is_refused(article):
    prepared = Prepared(
        lambda slug: Article.objects.filter(pk__in=list(Article.objects.values_list("pk", flat=True))), "text"
    )
    with pytest.raises(RuntimeError, match="read the database"):
        prepared(article.slug)


def test_wrong_values_are_refused_with_what_was_expected():
    with pytest.raises(ValueError, match="Unknown kinds of value: number"):
        Prepared(lambda n: Article.objects.all(), "number")
    with pytest.raises(TypeError, match="takes 2 values, not 1"):
        Prepared(lambda a, b: Article.objects.all(), "id", "id")(1)


def test_the_sites_prepared_queries_keep_their_sql_and_answer_as_the_orm_does(article, alice, bob, make_seminar):
    """Each query the site prepares, asked for a reader with and without rows to find."""
    note = note_on_quote(alice, article, "missile")
    seminar = make_seminar("Korea 2006", instructors=[alice], participants=[bob])
    Notification.objects.create(recipient=bob, annotation=note, kind=Notification.Kind.REPLY)
    note.tags.add("history")
    for reader, other in ((alice, bob), (bob, alice)):
        assert context_processors._any_unread(reader.pk) == (reader == bob)
        assert seminars._instructs_any(reader.pk) == (reader == alice)
        assert seminars._menu(reader.pk) == [(seminar.slug, seminar.name)]
        assert annotations_reading._any_tagged_mine(reader.pk) == (reader == alice)
        assert annotations_reading._any_tagged(reader.pk, article.pk) is True
        assert annotations_reading._any_tagged(
            other.pk, Article.objects.create(slug=f"x{reader.pk}", title="x").pk
        ) == (other == alice)
    for prepared in (
        context_processors._any_unread,
        seminars._instructs_any,
        seminars._menu,
        annotations_reading._any_tagged,
        annotations_reading._any_tagged_mine,
    ):
        assert kept(prepared), prepared.build


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_the_review_guard_finds_due_notes_as_the_due_rule_does_at_the_start_of_a_day(article, alice, zone):
    """A note written the instant a day starts is new on the next day, not on that one; a card
    due on a day is due from that day on, unless left out."""
    note = note_on_quote(alice, article, "missile")
    day = datetime.date(2026, 3, 10)
    with timezone.override(zone):
        start = scheduling.start_of(day)

        def build(author, start, day):
            return scheduling._own_passages(Annotation.objects.all(), author).filter(scheduling._due_on(day, start))

        guard = scheduling._any_due
        for written, expected in ((start, False), (start - datetime.timedelta(microseconds=1), True)):
            Annotation.objects.filter(pk=note.pk).update(created=written)
            assert answers(guard, build, alice.pk, start, day) is expected
        card = Card.objects.create(annotation=note, due=day + datetime.timedelta(days=1), half_life=1)
        assert answers(guard, build, alice.pk, start, day) is False
        assert answers(guard, build, alice.pk, scheduling.start_of(card.due), card.due) is True
        Card.objects.filter(pk=card.pk).update(left_out=True)
        assert answers(guard, build, alice.pk, scheduling.start_of(card.due), card.due) is False
    assert kept(guard)
