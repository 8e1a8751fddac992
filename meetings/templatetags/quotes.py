"""``{% load quotes %}``: whether a quote was checked against its source's archived text."""

from django import template

from ..quotes import quote_found

register = template.Library()


@register.filter
def quote_checked(quote: str, source) -> bool:
    """``{% if figure.quote|quote_checked:figure.source %}``: the quote is in the source's
    text on file (up to whitespace, quotation marks and dashes)."""
    return quote_found(quote, source)
