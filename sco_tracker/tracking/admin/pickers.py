"""Pickers (the admin's autocompletes) label records so that similar ones can be told
apart: a model's ``picker_label`` — an indicator's unit and topic, a meeting's dates — when
it declares one, else its name. The same label is shown for the chosen record when the
form is displayed again."""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView


def picker_label(obj) -> str:
    label = getattr(obj, "picker_label", None)
    return str(obj if label is None else label)


class PickerAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete answers, labelled with ``picker_label``."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": picker_label(obj)}
