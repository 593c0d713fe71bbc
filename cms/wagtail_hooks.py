"""Admin wiring: the alerts snippet, and the clinical-review publish guard."""

import html

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import Alert, AlertArea
from cms.publishing import approval_message, may_publish_outside_workflow


class AlertFilterSet(WagtailFilterSet):
    class Meta:
        model = Alert
        fields = ["severity", "live"]


class AlertViewSet(SnippetViewSet):
    model = Alert
    icon = "warning"
    menu_label = _("Alerts")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "severity", "start", "end", "live"]
    filterset_class = AlertFilterSet
    search_fields = ["title", "areas"]


register_snippet(AlertViewSet)


class AlertAreaViewSet(SnippetViewSet):
    model = AlertArea
    icon = "site"
    menu_label = _("Alert areas")
    add_to_admin_menu = False


register_snippet(AlertAreaViewSet)


# --- Clinical review: no publishing around the workflow ---------------------------


@hooks.register("construct_page_action_menu")
def hide_plain_publish(menu_items, request, context):
    page = context.get("page")
    if page is None or page.pk is None:
        page = context.get("parent_page")
    if page is None or may_publish_outside_workflow(request.user, page):
        return
    menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse_direct_publish(request, page, back_to: str):
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and not may_publish_outside_workflow(request.user, page)
    ):
        messages.error(
            request,
            _(
                "Pages under clinical review are published when a clinical reviewer "
                "approves them. Save a draft and submit it for review instead."
            ),
        )
        return redirect(back_to)
    return None


@hooks.register("before_edit_page")
def refuse_publish_on_edit(request, page):
    return _refuse_direct_publish(
        request, page, reverse("wagtailadmin_pages:edit", args=[page.pk])
    )


@hooks.register("before_create_page")
def refuse_publish_on_create(request, parent_page, page_class):
    return _refuse_direct_publish(
        request, parent_page, reverse("wagtailadmin_explore", args=[parent_page.pk])
    )


@hooks.register("before_copy_page")
def refuse_publishing_copies(request, page):
    if (
        request.method == "POST"
        and request.POST.get("publish_copies")
        and not may_publish_outside_workflow(request.user, page)
    ):
        raise PermissionDenied("Copies of reviewed pages go through clinical review.")


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return
    for page in objects:
        if not may_publish_outside_workflow(request.user, page):
            raise PermissionDenied(
                "Pages under clinical review are published by approving them."
            )


@hooks.register("after_edit_page")
def say_approved_and_published(request, page):
    """Wagtail says only "has been updated" after "Approve and publish"; the
    reviewer needs to know the article is now live."""
    if not (
        request.POST.get("action-workflow-action")
        and request.POST.get("workflow-action-name") == "approve"
    ):
        return
    # Reading the queued messages marks them shown; re-queue all but Wagtail's.
    updated = _("Page '%(page_title)s' has been updated.") % {
        "page_title": page.get_admin_display_title()
    }
    earlier = [
        m
        for m in messages.get_messages(request)
        if html.unescape(strip_tags(str(m.message))).strip() != updated
    ]
    for message in earlier:
        messages.add_message(
            request, message.level, message.message, extra_tags=message.extra_tags
        )
    messages.success(request, approval_message(page))
