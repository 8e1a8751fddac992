from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation


class SiteLocaleMiddleware(LocaleMiddleware):
    """Public pages take their language from the URL (English at /, Russian at /ru/).

    Django then treats every unprefixed URL as English, the admin included; editors
    instead choose the admin's language (cookie, set by its language menu) or get
    their browser's."""

    def process_request(self, request):
        if request.path_info.startswith(reverse("admin:index")):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def flat_items(query):
    for key, values in query.lists():
        for value in values:
            yield key, value


class NulCharacterMiddleware:
    """A NUL character is never valid in a query string, and PostgreSQL refuses it in a
    query: answer 400 here rather than let any view pass it to the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, value in flat_items(request.GET)):
            return HttpResponseBadRequest(
                "The address contains a NUL character.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
