from django import template

from annotations.moderating import curators_picks as picks_for

register = template.Library()


@register.simple_tag(takes_context=True)
def curators_picks(context, article):
    """The featured notes on `article` the reader may see (one query): the article page's "Curator's picks"."""
    return picks_for(context["user"], article)
