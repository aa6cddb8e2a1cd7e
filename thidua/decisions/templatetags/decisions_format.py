from django import template

from thidua.vietnamese import format_number

register = template.Library()


@register.filter
def vnd(value) -> str:
    """1.234.000 (Vietnamese grouping); a dash when there is no amount."""
    return "—" if value is None or value == "" else format_number(value)
