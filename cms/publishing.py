"""Who may publish a page outside its workflow, and what an approval tells the reviewer.

Topics and their articles are under the "Clinical review" workflow. Reviewers hold
Wagtail's publish permission because an approval publishes as the approver; that
same permission would also give them a plain "Publish" that skips the review. Only
site administrators may publish around a workflow (to repair or to take down).
"""

from django.utils.translation import gettext as _
from wagtail.models import Page

from accounts.services import Role, format_time


def may_publish_outside_workflow(user, page: Page) -> bool:
    """False when the page (or, for a new page, its parent) is under a workflow and
    the person is not a site administrator."""
    if user.is_superuser or user.has_role(Role.SITE_ADMINISTRATOR):
        return True
    return page.get_workflow() is None


def approval_message(page: Page) -> str:
    """What the reviewer reads after "Approve and publish" (or approving a step)."""
    page = Page.objects.get(pk=page.pk)  # fresh: the approval published it
    title = page.get_admin_display_title()
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_IN_PROGRESS:
        return _("“%(title)s” is approved at this step and waits for the next one.") % {
            "title": title
        }
    if page.live and not page.has_unpublished_changes:
        return _("“%(title)s” has been approved and published.") % {"title": title}
    scheduled = page.scheduled_revision
    if scheduled is not None and scheduled.approved_go_live_at:
        return _("“%(title)s” has been approved and will be published on %(when)s.") % {
            "title": title,
            "when": format_time(scheduled.approved_go_live_at),
        }
    return _("“%(title)s” has been approved.") % {"title": title}
