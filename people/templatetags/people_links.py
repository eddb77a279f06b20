"""``{% cable_people cable as people %}``: the people behind a cable's signer and
classifier (``people.signed``, ``people.classified``: PersonRole rows), one query."""

from django import template

from people.selectors import cable_people as cable_people_get

register = template.Library()


@register.simple_tag
def cable_people(cable):
    return cable_people_get(cable=cable)
