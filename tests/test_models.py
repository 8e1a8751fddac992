"""Model-level rules that are not about history: display, vocabularies, app layering."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from indicators.models import Figure, format_quantity
from tests.factories import FigureFactory


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("67", 9, "USD", "more_than"), "> 67 billion USD"),
        (("8", 6, "persons", "approximately"), "≈ 8 million persons"),
        (("27.500000", 6, "t", "exact"), "27.5 million t"),
        (("75", 0, "%", "exact"), "75%"),
        (("1", 12, "USD", "nearly"), "≲ 1 trillion USD"),
        (("6", 0, "%", "up_to"), "≤ 6%"),
        (("5", 0, "count", "exact"), "5"),
    ],
)
def test_numbers_read_as_stated(args, expected):
    assert format_quantity(*args) == expected


@pytest.mark.django_db
def test_normalised_value_keeps_decimals():
    figure = FigureFactory(value=Decimal("27.5"), unit_multiplier=6, unit="USD")
    assert figure.normalised_value == Decimal("27500000")
    assert isinstance(Figure.objects.get(pk=figure.pk).value, Decimal)


def test_meetings_never_imports_indicators():
    """Dependencies point one way: indicators may import meetings, never the reverse."""
    app = Path(settings.BASE_DIR) / "meetings"
    for path in app.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "indicators" for name in names), path
