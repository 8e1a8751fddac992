"""Turn a rendered admin form back into the POST data a browser would send."""

from django.forms import BooleanField, ModelMultipleChoiceField


def form_values(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        key = bound.html_name
        if isinstance(field, ModelMultipleChoiceField) or isinstance(value, list | tuple):
            data[key] = [str(item) for item in value or ()]
        elif isinstance(field, BooleanField):
            if value:
                data[key] = "on"
        elif value is None:
            data[key] = ""
        elif hasattr(value, "isoformat"):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)
    return data


def changeform_data(response, **changes) -> dict:
    """POST data for the admin form in ``response`` (main form and inlines), with changes."""
    context = response.context
    data = form_values(context["adminform"].form)
    for inline in context.get("inline_admin_formsets") or ():
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    data.update(changes)
    return data


def changelist_data(response, *, reason: str, changes: dict) -> dict:
    """POST data saving a change list's ``list_editable`` rows as shown, with the rows
    in ``changes`` ({pk: {field: value}}) edited and the list's reason for change."""
    formset = response.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
        "list_change_reason": reason,
    }
    for index, form in enumerate(formset.forms):
        instance = form.instance
        data[f"form-{index}-id"] = str(instance.pk)
        for field in form.fields:
            if field != "id":
                data[f"form-{index}-{field}"] = str(getattr(instance, field))
        for field, value in changes.get(instance.pk, {}).items():
            data[f"form-{index}-{field}"] = value
        data[f"form-_concurrency_version_{instance.pk}"] = str(instance.version)
    return data


def add_figure(client, **changes):
    """Enter Kazakhstan's 2023 transit tonnage through the admin's add form, as an editor
    would; returns the response."""
    from django.urls import reverse

    from indicators.models import Indicator
    from meetings.models import Country

    url = reverse("admin:indicators_figure_add")
    values = {
        "indicator": Indicator.objects.get(slug="transit-freight").pk,
        "scope": "country",
        "country": Country.objects.get(code="KZ").pk,
        "as_stated": "22,7 млн тонн",
        "comparator": "exact",
        "value": "22.7",
        "unit_multiplier": "6",
        "unit": "t",
        "period_start": "2023-01-01",
        "period_end": "2023-12-31",
        "period_label": "2023",
        "source": 1,
        "quote": "",
        **changes,
    }
    return client.post(url, changeform_data(client.get(url), **values))
