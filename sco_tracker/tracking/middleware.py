"""``request.as_of``: the moment a public page shows, read once for every view.

``?as_of=`` is parsed here (``timetravel.parse_as_of``) and nowhere else; views, exports,
feeds and templates read ``request.as_of`` (None for the present). A malformed value is
answered here with HTTP 400 saying what a valid one looks like — as JSON when an export
was asked for. The admin always works in the present.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from .timetravel import parse_as_of

EXPORT_FORMATS = ("csv", "json")


class AsOfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.as_of = None
        if not request.path_info.startswith(reverse("admin:index")):
            try:
                request.as_of = parse_as_of(request.GET.get("as_of", ""))
            except ValidationError as error:
                return invalid_moment(request, " ".join(error.messages))
        return self.get_response(request)


def invalid_moment(request, message):
    if request.GET.get("format") in EXPORT_FORMATS:
        return JsonResponse(
            {"errors": {"as_of": [message]}}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "tracking/bad_request.html", {"message": message}, status=400)
