"""The site administrator's "this person has left" screens in the Wagtail admin.

A confirmation page (GET) and the action (POST) that calls
accounts.leaving.deactivate_person, then the report of what was closed and the
clinical work to reassign. Reached from the person's "More" menu in the Users
listing (accounts/wagtail_hooks.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.leaving import deactivate_person, leaving_report
from accounts.models import AccountEvent, User
from accounts.permissions import require_permission

PERMISSION = "accounts.deactivate_person"


@require_permission(PERMISSION)
@require_http_methods(["GET", "POST"])
def deactivate(request, person_uuid):
    person = get_object_or_404(User, uuid=person_uuid)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
        return redirect("wagtailusers_users:index")
    if request.method == "POST":
        report = deactivate_person(person=person, actor=request.user)
        return redirect("accounts_leaving_report", event_uuid=report.event_uuid)
    return render(
        request,
        "accounts/admin/deactivate_confirm.html",
        {
            "person": person,
            "page_title": _("Deactivate %(name)s") % {"name": person.display_name},
            "header_title": _("Deactivate %(name)s") % {"name": person.display_name},
            "header_icon": "user",
        },
    )


@require_permission(PERMISSION)
def report(request, event_uuid):
    event = get_object_or_404(
        AccountEvent, uuid=event_uuid, action=AccountEvent.Action.DEACTIVATED
    )
    found = leaving_report(event)
    title = _("%(name)s has left") % {"name": found.person_name}
    return render(
        request,
        "accounts/admin/leaving_report.html",
        {
            "report": found,
            "at": parse_datetime(found.at),
            "closed": [door for door in found.doors if door.count],
            "nothing_to_close": [door for door in found.doors if not door.count],
            "open_work": [
                (work, parse_datetime(work.when) if work.when else None)
                for work in found.open_work
            ],
            # Wagtail's admin switches to its own profile zone; people read
            # times in the zone of their TeleCampus profile.
            "zone": request.user.time_zone,
            "page_title": title,
            "header_title": title,
            "header_icon": "user",
        },
    )
