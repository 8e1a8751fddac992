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
