"""``request.as_of``: the moment a public page shows, read once for every view.

``?as_of=`` is parsed here (``timetravel.parse_as_of``) and nowhere else; views, exports,
feeds and templates read ``request.as_of`` (None for the present) and, for links that keep
the moment, ``request.as_of_param``. A malformed value is
answered here with HTTP 400 saying what a valid one looks like — as JSON when an export
was asked for. The admin always works in the present.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from .timetravel import parse_as_of

EXPORT_FORMATS = ("csv", "json", "datapackage")


class AsOfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.as_of, request.as_of_param = None, ""
        if not request.path_info.startswith(reverse("admin:index")):
            value = request.GET.get("as_of", "")
            try:
                request.as_of = parse_as_of(value)
            except ValidationError as error:
                return invalid_moment(request, " ".join(error.messages))
            # As the reader wrote it, for links that stay in the same moment.
            request.as_of_param = value.strip() if request.as_of is not None else ""
        return self.get_response(request)


def invalid_moment(request, message):
    if request.GET.get("format") in EXPORT_FORMATS:
        return JsonResponse(
            {"errors": {"as_of": [message]}}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "tracking/bad_request.html", {"message": message}, status=400)
