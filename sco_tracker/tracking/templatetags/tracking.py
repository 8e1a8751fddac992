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
