from django.core.paginator import Paginator
from django.shortcuts import render

from search.finding import Search
from search.marking import mark
from search.querying import HELP, MAX_LENGTH, QueryError

PER_PAGE = 20
EXCERPT = 300


def search_page(request):
    """/search/?q=…: the notes and the passages that match, each group ranked and paged on its own."""
    text = request.GET.get("q", "")
    context = {"q": text, "help": HELP, "max_length": MAX_LENGTH}
    try:
        search = Search(request.user, text)
    except QueryError as error:
        return render(request, "search/search.html", {**context, "error": str(error)}, status=400)
    if search.is_empty:
        return render(request, "search/search.html", context)
    return render(request, "search/search.html", {**context, **results(search, request.GET)})


def results(search, params):
    """Both groups' pages, as `params` (?notes=N&passages=N) ask, with the matching words marked."""
    terms = search.query.terms
    notes = _page(params, "notes", search.notes().for_display())
    passages = _page(params, "passages", search.passages().select_related("article"))
    for note in notes:
        note.quote_marked = mark(note.quote_exact, terms, around=EXCERPT)
        note.comment_marked = mark(note.comment, terms, around=EXCERPT)
    for paragraph in passages:
        paragraph.marked = mark(paragraph.text, terms, around=EXCERPT)
    return {"searched": True, "notes": notes, "passages": passages}


def _page(params, name, items):
    """One group's page: ?notes=N or ?passages=N; a number past the end shows the last page."""
    page = Paginator(items, PER_PAGE).get_page(params.get(name))
    page.previous_url = _link(params, name, page.previous_page_number()) if page.has_previous() else ""
    page.next_url = _link(params, name, page.next_page_number()) if page.has_next() else ""
    return page


def _link(params, name, number):
    query = params.copy()
    query[name] = number
    return "?" + query.urlencode()
