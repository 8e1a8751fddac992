"""Our own labels are translated into Russian, and the compiled catalogue is current."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"


# Entries that exist only with a context (pgettext); gettext alone does not see them.
CONTEXT_MSGIDS = {
    "t",
    "km",
    "h",
    "days",
    "persons",
    "times",
    "thousand",
    "million",
    "billion",
    "trillion",
}


def entries(text: str):
    """(flags, msgid, [msgstr…]) for each entry of a .po file."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += line.strip().strip('"')
                continue
            key, _, value = line.partition(" ")
            current = key
            fields[key] = value.strip().strip('"')
        if "msgid" in fields and "msgctxt" not in fields:
            strings = [value for key, value in fields.items() if key.startswith("msgstr")]
            yield flags, fields["msgid"], strings


def test_every_label_has_a_russian_translation():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    problems = [
        msgid
        for flags, msgid, strings in entries(po)
        if msgid and ("fuzzy" in flags or not all(strings))
    ]
    assert problems == []


def test_compiled_catalogue_matches_its_source():
    """The committed .mo was compiled from the committed .po: every simple entry of the
    .po is what gettext returns."""
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    checked = 0
    with translation.override("ru"):
        for _flags, msgid, strings in entries(po):
            if not msgid or len(strings) != 1 or "\\" in msgid + strings[0]:
                continue
            assert translation.gettext(msgid) == strings[0], msgid
            checked += 1
    assert checked > 300
