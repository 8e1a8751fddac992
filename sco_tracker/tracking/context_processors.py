def time_travel(request):
    """``as_of`` (the moment shown, or None) for the banner and for links that keep it."""
    as_of = getattr(request, "as_of", None)
    return {
        "as_of": as_of,
        "as_of_param": request.GET.get("as_of", "") if as_of is not None else "",
    }
