"""Template side of accounts.local_time: `{% load local_time %}` then

    {{ visit.start|local_time }}                 the viewer's zone, labelled
    {{ visit.start|local_time:visit.time_zone }} that zone, labelled
    {{ visit.start|local_date }}                 date only, viewer's zone
    {{ visit.start|local_clock }}                hour and minute only, no label
    {% local_time_pair visit.start request.user visit.time_zone %}

The active zone is the signed-in person's (ViewerTimeZoneMiddleware); emails and
PDFs pass the recipient's zone or render inside timezone.override.
"""

from django import template

from accounts import local_time as lt

register = template.Library()


@register.filter
def local_time(moment, zone=None):
    return lt.format_time(moment, zone)


@register.filter
def local_date(moment, zone=None):
    return lt.format_time(moment, zone, fmt=lt.DATE_FORMAT, label=False)


@register.filter
def local_clock(moment, zone=None):
    return lt.format_time(moment, zone, fmt=lt.TIME_FORMAT, label=False)


@register.simple_tag
def local_time_pair(moment, viewer_zone, event_zone):
    return lt.format_time_pair(moment, viewer_zone, event_zone)
