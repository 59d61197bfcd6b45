"""The participation CSV writes "Last activity" as ISO 8601 in UTC, to the second: 2006-10-09T01:35:27Z."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

from django.urls import reverse

from annotations.models import Annotation
from seminars.participation import csv_cell
from tests.annotations.factories import note_on_article


def test_a_time_in_a_csv_cell_is_utc_to_the_second_with_a_z():
    seoul = datetime.datetime(2006, 10, 9, 10, 35, 27, 123456, tzinfo=ZoneInfo("Asia/Seoul"))
    assert csv_cell(seoul) == "2006-10-09T01:35:27Z"


def test_the_participation_csv_has_no_microseconds_or_offset_in_last_activity(client, alice, bob, seminar, article):
    seminar.add_to_reading_list(article)
    note = note_on_article(bob, article, comment="A seminar note.", visibility="seminar", seminar=seminar)
    when = datetime.datetime(2006, 10, 9, 1, 35, 27, 654321, tzinfo=datetime.UTC)
    Annotation.objects.filter(pk=note.pk).update(created=when)
    client.force_login(alice)
    response = client.get(reverse("seminar-participation", args=[seminar.slug]) + "?format=csv")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    last = header.index("Last activity")
    assert {row[0]: row[last] for row in rows} == {"alice": "", "bob": "2006-10-09T01:35:27Z"}
