"""Long lists come a page at a time: `?page=N` (or `?page=last`), a fixed number of rows each.

A page that is not there (not a number, or past the end) is a 404, as in Django's generic
list views: an address names one page of a list or nothing, and a link to the end stays
good as the list grows with `?page=last`. Counting and slicing are two queries whatever the
length of the list.
"""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def page_of(request, items, per_page):
    """The page of `items` (an ordered queryset or a list) that the request asks for."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("page") or 1
    if number == "last":
        number = paginator.num_pages
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404(f"This list has no page {number!r}: it has {paginator.num_pages}.") from None
