"""GET /api/search?q=…: the annotations you can see that match a query, as a W3C AnnotationCollection.

The query language is the search page's (search.querying); a query that cannot run is a 400
saying why, and nothing is searched. Each annotation keeps the IRI it has in its article's
container; the collection and its pages are named by the search's own address.
"""

from urllib.parse import urlencode

from django.urls import reverse

from api import schemas, serialising
from api.errors import ApiError
from api.openapi import reads
from api.views import PAGE_HEADERS, api, ld_response, with_last_move
from search.finding import Search
from search.querying import QueryError

SEARCH_HEADERS = {"Allow": "GET, HEAD, OPTIONS", "Vary": PAGE_HEADERS["Vary"]}


class SearchIris:
    """The search's own IRIs, and each article's (an annotation's IRI is in its article's container)."""

    def __init__(self, request, text):
        self.request, self.text = request, text
        self.context = request.build_absolute_uri(reverse("api:context"))
        self.container = self.address()
        self.articles = {}

    def address(self, **extra):
        return self.request.build_absolute_uri(reverse("api:search") + "?" + urlencode({"q": self.text, **extra}))

    def page(self, number, items_as_iris=False):
        return self.address(page=number)

    def of(self, article):
        if article.pk not in self.articles:
            self.articles[article.pk] = serialising.Iris(self.request, article)
        return self.articles[article.pk]


def search_page(notes, number, total, iris, *, viewer, embedded=False):
    start = number * serialising.PAGE_SIZE
    found = with_last_move(notes.for_display().select_related("seminar"))[start : start + serialising.PAGE_SIZE]
    data = {} if embedded else {"@context": [serialising.ANNO_CONTEXT, iris.context]}
    data.update(
        id=iris.page(number),
        type="AnnotationPage",
        partOf={"id": iris.container, "total": total},
        startIndex=start,
        items=[serialising.annotation(note, iris.of(note.article), embedded=True, viewer=viewer) for note in found],
    )
    if number > 0:
        data["prev"] = iris.page(number - 1)
    if number < serialising.last_page(total):
        data["next"] = iris.page(number + 1)
    return data


@api.api_operation(
    ["GET", "HEAD"],
    "/search",
    url_name="search",
    summary="Search the annotations you can see",
    **reads(200, 400, 401, 404, body=schemas.AnnotationCollection | schemas.AnnotationPage),
)
def search_annotations(request, q: str, page: int | None = None):
    """The annotations you can see that match `q`, best first: an AnnotationCollection, or with `?page=N` one page.

    `q` is what the search box takes (at most 500 characters): words (all must match), `"a phrase"`,
    `tag:name`, `by:username`, `in:article-slug`, `is:question`, `is:mine`. A query that names a tag,
    reader or article you cannot see, an unknown operator, or too many words is a 400 saying why.
    """
    try:
        search = Search(request.auth, q)
    except QueryError as error:
        raise ApiError(400, str(error)) from None
    if search.is_empty:
        raise ApiError(400, "The query is empty: give at least a word or an operator, as in ?q=peace.")
    notes, iris = search.notes(), SearchIris(request, q)
    total = notes.count()
    if page is not None:
        if not 0 <= page <= serialising.last_page(total):
            raise ApiError(404, f"There is no page {page}: pages run from 0 to {serialising.last_page(total)}.")
        data = search_page(notes, page, total, iris, viewer=request.auth)
        return ld_response(data, {**SEARCH_HEADERS, "Content-Location": data["id"]})
    data = {
        "@context": [serialising.ANNO_CONTEXT, iris.context],
        "id": iris.container,
        "type": ["AnnotationCollection"],
        "label": f"Annotations matching “{q}”",
        "total": total,
    }
    if total:
        data["first"] = search_page(notes, 0, total, iris, viewer=request.auth, embedded=True)
        data["last"] = iris.page(serialising.last_page(total))
    return ld_response(data, {**SEARCH_HEADERS, "Content-Location": data["id"]})
