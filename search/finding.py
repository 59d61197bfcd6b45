"""Running a query: the notes and the passages a reader may see that match it, best first.

Every note comes from `Annotation.objects.visible_to(user)` and every passage from an article
`Article.readable(user)` lets them read; the engine's hits only narrow those querysets down, in
the same SQL, so what is counted is what is shown. SQLite asks its FTS5 tables (bm25, lower is
better); PostgreSQL its `tsvector`s (ts_rank, higher is better). Both stem English words.
"""

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F

from annotations.models import Annotation
from annotations.tagging import MAX_TAG_LENGTH, stored_tags
from reader.models import Article, Paragraph
from search.models import NoteEntry
from search.querying import QueryError, parse


class Search:
    """A parsed query with its operators looked up for `user`; QueryError if one names nothing they can see."""

    def __init__(self, user, text):
        self.user, self.query = user, parse(text)
        self.visible = Annotation.objects.visible_to(user).filter(deleted=False)
        self.tags = [self._tag(name) for name in self.query.tags]
        self.authors = [self._author(name) for name in self.query.authors]
        self.articles = [self._article(slug) for slug in self.query.articles]
        if "mine" in self.query.flags and not user.is_authenticated:
            raise QueryError("Sign in to search your own notes with is:mine.")

    def _tag(self, name):
        if len(name) > MAX_TAG_LENGTH or not any(character.isalnum() for character in name):
            raise QueryError(
                f"“tag:{name[:50]}” cannot be a tag: a tag has letters or digits, {MAX_TAG_LENGTH} at most."
            )
        tag = stored_tags([name])[0]
        if isinstance(tag, str) or not self.visible.filter(tagged_items__tag=tag).exists():
            raise QueryError(f"No note you can see is tagged “{name}”: check the spelling, or drop tag:{name}.")
        return tag

    def _author(self, name):
        person = get_user_model().objects.filter(username__iexact=name).order_by("pk").first()
        if person is None:
            raise QueryError(f"There is no reader called “{name}”: check the spelling, or drop by:{name}.")
        return person

    def _article(self, slug):
        article = Article.objects.readable_by(self.user).filter(slug=slug).first()
        if article is None:
            raise QueryError(f"There is no article “{slug}” you can read: in: takes the name in its address.")
        return article

    @property
    def is_empty(self):
        return self.query.is_empty

    def notes(self):
        """The matching notes, best first (newest first where no words rank them)."""
        notes = self.visible
        for tag in self.tags:
            notes = notes.filter(tagged_items__tag=tag)
        if self.authors:
            notes = notes.filter(author__in=self.authors)
        if self.articles:
            notes = notes.filter(article__in=self.articles)
        if "question" in self.query.flags:
            notes = notes.filter(is_question=True)
        if "mine" in self.query.flags:
            notes = notes.filter(author=self.user)
        if not self.query.terms:
            return notes.order_by("-created", "pk")
        if connection.vendor == "postgresql":
            query = postgres_query(self.query.terms)
            return (
                among(notes, NoteEntry.objects.filter(vector=query).values("annotation_id"))
                .annotate(rank=SearchRank(F("search_entry__vector"), query))
                .order_by("-rank", "-created", "pk")
            )
        return notes.extra(
            tables=["search_noteentry", "search_note_fts"],
            where=[
                "search_noteentry.annotation_id = annotations_annotation.id",
                "search_note_fts.rowid = search_noteentry.id",
                "search_note_fts MATCH %s",
            ],
            params=[fts5_query(self.query.terms)],
            select={"rank": "bm25(search_note_fts, 2.0, 1.0, 2.0)"},
        ).order_by("rank", "-created", "pk")

    def passages(self):
        """The matching paragraphs of articles the reader may read, best first; none for a query only notes can meet."""
        if not self.query.terms or self.query.about_notes_only:
            return Paragraph.objects.none()
        paragraphs = Paragraph.objects.filter(Article.readable(self.user, via="article__"))
        if self.articles:
            paragraphs = paragraphs.filter(article__in=self.articles)
        if connection.vendor == "postgresql":
            query = postgres_query(self.query.terms)
            return (
                paragraphs.annotate(vector=SearchVector("text", config="english"))
                .filter(vector=query)
                .annotate(rank=SearchRank(F("vector"), query))
                .order_by("-rank", "article_id", "position")
            )
        return paragraphs.extra(
            tables=["search_paragraph_fts"],
            where=["search_paragraph_fts.rowid = reader_paragraph.id", "search_paragraph_fts MATCH %s"],
            params=[fts5_query(self.query.terms)],
            select={"rank": "bm25(search_paragraph_fts)"},
        ).order_by("rank", "article_id", "position")


def among(notes, hits):
    """`notes` whose id is among `hits` (a query of ids), asked of PostgreSQL as `= ANY(ARRAY(…))`.

    PostgreSQL runs the hits' query once and fetches each note by its key. Written as a join or
    `IN (…)`, the planner scans every note instead: visible_to's `NOT IN` of the replies below a
    hidden one keeps it from starting at the few hits (about 15 times slower at 100,000 notes).
    """
    sql, params = hits.query.sql_with_params()
    table = Annotation._meta.db_table
    return notes.extra(where=[f'"{table}"."id" = ANY(ARRAY({sql}))'], params=params)


def fts5_query(terms):
    """Each word or phrase as an FTS5 string (letters and digits only, so nothing in it is syntax), all required."""
    return " ".join('"' + " ".join(words) + '"' for words in terms)


def postgres_query(terms):
    query = None
    for words in terms:
        part = SearchQuery(" ".join(words), search_type="phrase" if len(words) > 1 else "plain", config="english")
        query = part if query is None else query & part
    return query
