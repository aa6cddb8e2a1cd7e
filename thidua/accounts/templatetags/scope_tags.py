"""Template questions about the user's rights, answered by `thidua.accounts.scope`: pages
show an entry control only to a user whose role may write there."""

from django import template

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.org.ids import InIds

register = template.Library()


@register.simple_tag(takes_context=True)
def may_change_unit(context, unit) -> bool:
    user = context["request"].user
    return scope.can(user, Action.CHANGE, unit)


@register.simple_tag(takes_context=True)
def may_change_person(context, person) -> bool:
    """True when one of the person's units is in the user's change scope (one query)."""
    user = context["request"].user
    ids = scope.unit_ids_for(user, Action.CHANGE)
    if ids is None:
        return True
    return bool(ids) and person.employments.filter(InIds("unit_id", ids)).exists()


@register.simple_tag(takes_context=True)
def may_change_any(context) -> bool:
    """True when the user may change something somewhere (an entry menu is worth showing)."""
    user = context["request"].user
    ids = scope.unit_ids_for(user, Action.CHANGE)
    return ids is None or bool(ids)
