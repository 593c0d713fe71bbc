from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Locale

from cms import services
from cms.models import Alert, AlertSubscription
from cms.search import search_site, topics_for

RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    locale = Locale.get_active()
    outcome = search_site(
        raw_query=request.GET.get("q", ""),
        topic_slug=request.GET.get("topic", "")[:255],
        locale=locale,
    )
    results = Paginator(outcome.pages, RESULTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cms/search.html",
        {
            "outcome": outcome,
            "results": results,
            "topics": topics_for(locale),
        },
    )


@require_GET
def alert_list(request):
    subscribed = (
        request.user.is_authenticated
        and AlertSubscription.objects.filter(user=request.user).exists()
    )
    return render(
        request,
        "cms/alert_list.html",
        {"alerts": Alert.objects.active(), "subscribed": subscribed},
    )


@require_GET
def alert_detail(request, uuid):
    alert = get_object_or_404(Alert, uuid=uuid, live=True)
    return render(
        request,
        "cms/alert_detail.html",
        {"alert": alert, "is_active": alert.is_active(timezone.now())},
    )


@login_required
@require_POST
def alert_subscription(request):
    if request.POST.get("subscribe") == "1":
        services.subscribe_to_alerts(
            user=request.user, language=translation.get_language()
        )
        messages.success(
            request,
            _(
                "You will get an email at %(email)s when a public-health alert "
                "is published."
            )
            % {"email": request.user.email},
        )
    else:
        services.unsubscribe_from_alerts(user=request.user)
        messages.success(
            request, _("You will no longer get public-health alert emails.")
        )
    return redirect("cms:alert_list")


@require_GET
def alerts_api(request):
    """Active alerts as JSON, beside Wagtail's API v2 for the mobile app."""
    items = [
        {
            "id": str(alert.uuid),
            "title": alert.title,
            "severity": alert.severity_slug,
            "severity_label": alert.get_severity_display(),
            "areas": alert.areas,
            "body": alert.body,
            "links": [
                {"url": link.value["url"], "text": link.value["text"]}
                for link in alert.links
            ],
            "start": alert.start.isoformat(),
            "end": alert.end.isoformat(),
            "html_url": request.build_absolute_uri(alert.get_absolute_url()),
        }
        for alert in Alert.objects.active()
    ]
    return JsonResponse({"meta": {"total_count": len(items)}, "items": items})
