"""Template helpers of the tracking engine (``{% load tracking %}``)."""

from urllib.parse import urlencode

from django import template

from ..diffs import format_number

register = template.Library()


@register.filter
def number(value) -> str:
    """A number in the page's language, without storage padding: 27.500000 → 27.5 (27,5
    in Russian), thousands grouped."""
    if value is None or value == "":
        return ""
    return format_number(value)


@register.filter
def at_time(url: str, as_of_param: str) -> str:
    """A link that stays in the same moment when the page shows the past (``?as_of=``)."""
    if not as_of_param:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({'as_of': as_of_param})}"


@register.filter
def page_links(page) -> list:
    """The page numbers a pagination bar shows — the first, the last and two each side of
    ``page`` — with None where pages are left out. Listing only those (rather than looping
    over every page number in the template) keeps a list of 2,000 pages as cheap as one of
    two."""
    return [
        None if number == page.paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
