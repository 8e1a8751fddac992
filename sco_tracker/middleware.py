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
