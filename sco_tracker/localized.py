"""Bilingual content: records keep ``<field>_en`` and ``<field>_ru`` side by side."""

from django.utils.translation import get_language


def localized(obj, base: str) -> str:
    """The Russian or English text of ``<base>_ru``/``<base>_en`` for the active language,
    falling back to whichever exists."""
    english = getattr(obj, f"{base}_en", "") or ""
    russian = getattr(obj, f"{base}_ru", "") or ""
    if (get_language() or "en").startswith("ru"):
        return russian or english
    return english or russian
