"""The patient's Connected apps page: what each app may do, and disconnecting it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.services import zone_of
from visits.services.apps import connected_apps as list_connected_apps
from visits.services.apps import disconnect_app
from visits.views.common import post_only


@login_required
def connected_apps(request):
    return render(
        request,
        "visits/connected_apps.html",
        {
            "apps": list_connected_apps(patient=request.user),
            "viewer_zone": zone_of(request.user).key,
        },
    )


@login_required
def disconnect(request):
    if request.method != "POST":
        return post_only(request)
    client_id = request.POST.get("app", "")[:100]
    if disconnect_app(patient=request.user, client_id=client_id):
        messages.success(
            request, _("The app was disconnected. It can no longer reach your record.")
        )
    return redirect("visits:connected_apps")
