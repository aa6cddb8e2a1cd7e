"""A verb's refusal shown on the form that asked for it.

A bottom-layer module (it imports no Thidua app): the verbs of every app raise Django's
`ValidationError`, naming the field at fault where there is one; every app's pages put it
back on their form the same way.
"""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, when the form
    has it, otherwise as a form error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
