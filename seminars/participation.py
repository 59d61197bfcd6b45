"""The instructor's view of a seminar: who took part, how, and on which article.

The seminar's notes are read through `seminar.annotations`, the notes' own manager, so they
pass through the one visibility rule without this app importing the notes app.
"""

import csv
import datetime
from collections import defaultdict

from django.http import HttpResponse

from reader.models import Article

COLUMNS = [
    ("member", "Member"),
    ("article", "Article"),
    ("notes", "Notes"),
    ("replies", "Replies"),
    ("words", "Words"),
    ("questions", "Questions asked"),
    ("answers", "Questions answered"),
    ("last", "Last activity"),
]
SORTABLE = {key for key, _ in COLUMNS}


def participation(seminar, viewer, sort="member", descending=False):
    """One row per member × reading-list article, from three queries whatever the seminar's size."""
    members = [membership.user for membership in seminar.memberships.select_related("user")]
    entries = seminar.reading_list.filter(Article.readable(viewer, via="article__")).select_related("article")
    articles = [entry.article for entry in entries]  # an article unpublished since is not the viewer's to list
    notes = (
        seminar.annotations.visible_to(viewer)
        .filter(article__in=articles, deleted=False)
        .values_list("pk", "author_id", "article_id", "parent_id", "is_question", "answer_id", "comment", "created")
    )
    tally = defaultdict(lambda: {"notes": 0, "replies": 0, "words": 0, "questions": 0, "answers": 0, "last": None})
    answer_ids, authors = set(), {}
    for pk, author, article, parent, is_question, answer, comment, created in notes:
        row = tally[author, article]
        row["replies" if parent else "notes"] += 1
        row["words"] += len(comment.split())
        row["questions"] += is_question
        row["last"] = max(row["last"] or created, created)
        authors[pk] = (author, article)
        if answer:
            answer_ids.add(answer)
    for answer in answer_ids:
        if answer in authors:
            tally[authors[answer]]["answers"] += 1
    rows = [
        {"member": member.get_username(), "article": article.title, **tally[member.pk, article.pk]}
        for member in members
        for article in articles
    ]
    key = sort if sort in SORTABLE else "member"
    rows.sort(key=lambda row: row["member"])  # ties stay in member order either way
    filled = [row for row in rows if row[key] is not None]
    filled.sort(key=lambda row: row[key], reverse=descending)
    return filled + [row for row in rows if row[key] is None]  # no activity: last, in either order


def participation_csv(seminar, rows):
    """The participation table as a CSV download, safe to open in a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{seminar.slug}-participation.csv"'
    writer = csv.writer(response)
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([csv_cell(row[key]) for key, _ in COLUMNS])
    return response


def csv_cell(value):
    """A cell's text. Times are ISO 8601 in UTC, to the second (2006-10-09T01:35:27Z).

    Spreadsheets run cells that start with = + - @ as formulas; those are quoted.
    """
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
