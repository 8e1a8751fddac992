"""Template helpers for the public site (registered as the ``sco`` library in settings)."""

from django import template
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language: str) -> str:
    """This page, with its query string, in another language."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def language_links():
    current = translation.get_language()
    from django.conf import settings

    return [
        {"code": code, "name": translation.get_language_info(code)["name_local"]}
        for code, _ in settings.LANGUAGES
        if code != current
    ]


SECTIONS = [
    (
        "meetings",
        "meetings:meeting_list",
        _("Meetings"),
        ("meeting_list", "meeting_detail", "meeting_history"),
    ),
    (
        "commitments",
        "meetings:commitment_list",
        _("Commitments"),
        ("commitment_list", "commitment_detail", "commitment_history"),
    ),
    (
        "compliance",
        "meetings:compliance",
        _("Compliance"),
        ("compliance", "compliance_method", "country_detail", "country_history"),
    ),
    (
        "indicators",
        "indicators:indicator_list",
        _("Indicators"),
        ("indicator_list", "indicator_detail", "indicator_history"),
    ),
    (
        "figures",
        "indicators:figure_list",
        _("Figures"),
        ("figure_list", "figure_detail", "figure_history"),
    ),
    ("changes", "tracking:changes", _("Changes"), ("changes",)),
]


@register.simple_tag(takes_context=True)
def nav_sections(context):
    """The main sections; the one being shown is marked for assistive technology."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match else ""
    sections = []
    for key, route, label, url_names in SECTIONS:
        current = ""
        if url_name == url_names[0]:
            current = "page"
        elif url_name in url_names:
            current = "true"
        sections.append({"key": key, "url": reverse(route), "label": label, "current": current})
    return sections
