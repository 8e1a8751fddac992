def time_travel(request):
    """``as_of`` (the moment shown, or None) for the banner, and ``as_of_param`` for links
    that keep it; both set by ``AsOfMiddleware``."""
    return {
        "as_of": getattr(request, "as_of", None),
        "as_of_param": getattr(request, "as_of_param", ""),
    }
