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
