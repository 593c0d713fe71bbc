"""The role-aware home ("My work"): what needs each staff member today.

One panel per role, built from a table (role -> panel builder), so a person with
two roles sees both panels and a new role adds one row. Links are URL names; a
link whose page does not exist yet (another app's screen still to come) falls
back to the named alternative instead of breaking the page. Nothing here reads
visits: clinical pages are linked, never summarised (no PHI on this page).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.services import Role
from certificates.models import Certificate, IssuingRun, NameCorrection
from courses.models import ActivityPage, CreditClaim
from courses.services import dashboard_enrolments
from meetings.models import Meeting, Occurrence

UPCOMING_MEETING_DAYS = 7
LIST_LIMIT = 8


@dataclass
class Link:
    label: str
    url: str
    detail: str = ""
    when: object = None  # a datetime, shown in the viewer's zone by the template


@dataclass
class Panel:
    key: str
    title: str
    intro: str = ""
    items: list[Link] = field(default_factory=list)
    empty: str = ""
    actions: list[Link] = field(default_factory=list)


def _pending_claims():
    """Claims with no valid certificate yet: refused, queued or never issued."""
    return CreditClaim.objects.exclude(
        certificates__status=Certificate.Status.VALID
    ).distinct()


def coordinator_panels(user) -> list[Panel]:
    pending = _pending_claims()
    activities = (
        ActivityPage.objects.order_by("-release_date", "title")
        .annotate(
            claim_count=Count("enrolments__claims", distinct=True),
            pending_count=Count(
                "enrolments__claims",
                filter=Q(enrolments__claims__in=pending.values("pk")),
                distinct=True,
            ),
        )
        .only("title", "uuid", "release_date")[:LIST_LIMIT]
    )
    activity_panel = Panel(
        key="activities",
        title=_("CME activities"),
        intro=_(
            "Open an activity's report to see its learners, issue certificates in "
            "bulk and download the board-reporting (PARS) file."
        ),
        items=[
            Link(
                label=activity.title,
                url=reverse("courses_report", args=[activity.uuid]),
                detail=_("%(claims)d credit claims, %(pending)d without a certificate")
                % {"claims": activity.claim_count, "pending": activity.pending_count},
            )
            for activity in activities
        ],
        empty=_("There are no CME activities yet."),
        actions=[
            Link(_("All CME reports"), reverse("courses_reports")),
            Link(
                _("Add or edit activities in the admin"), reverse("wagtailadmin_home")
            ),
        ],
    )
    runs = IssuingRun.objects.select_related("activity").order_by("-created_at")[:5]
    corrections = NameCorrection.objects.filter(
        status=NameCorrection.Status.PENDING
    ).select_related("certificate")[:LIST_LIMIT]
    issuing_panel = Panel(
        key="issuing",
        title=_("Certificates waiting for you"),
        items=[
            Link(
                label=_("Bulk issuing for “%(title)s”") % {"title": run.activity.title},
                url=reverse("certificates_admin:run", args=[run.uuid]),
                detail=_("%(done)d of %(total)d done, %(refused)d refused (%(status)s)")
                % {
                    "done": run.done,
                    "total": run.total,
                    "refused": run.refused,
                    "status": run.get_status_display(),
                },
                when=run.created_at,
            )
            for run in runs
        ]
        + [
            Link(
                label=_("Name correction for %(code)s")
                % {"code": correction.certificate.code},
                url=reverse(
                    "certificates_admin:decide_correction", args=[correction.uuid]
                ),
                detail=_("Waiting for your decision."),
                when=correction.requested_at,
            )
            for correction in corrections
        ],
        empty=_("No bulk issuing runs and no name corrections are waiting."),
        actions=[Link(_("Manage certificates"), reverse("certificates_admin:manage"))],
    )
    return [activity_panel, issuing_panel]


def meeting_admin_panels(user) -> list[Panel]:
    now = timezone.now()
    upcoming = (
        Occurrence.objects.active()
        .filter(
            start__gte=now - timedelta(hours=1),
            start__lt=now + timedelta(days=UPCOMING_MEETING_DAYS),
            meeting__in=Meeting.objects.visible_to(user).on_portal().values("pk"),
        )
        .select_related("meeting")
        .order_by("start")[:LIST_LIMIT]
    )
    return [
        Panel(
            key="meetings",
            title=_("Meetings in the next 7 days"),
            items=[
                Link(
                    label=occurrence.meeting.public_title,
                    url=reverse("meetings:detail", args=[occurrence.meeting.uuid]),
                    when=occurrence.start,
                )
                for occurrence in upcoming
            ],
            empty=_("You have no meetings in the next 7 days."),
            actions=[
                Link(_("Schedule a meeting"), reverse("meetings:schedule")),
                Link(_("All my meetings"), reverse("meetings:mine")),
                Link(_("Calendar feed"), reverse("meetings:calendar")),
            ],
        )
    ]


def auditor_panels(user) -> list[Panel]:
    return [
        Panel(
            key="audit",
            title=_("Audit"),
            intro=_(
                "Search who read or changed patient records, and review emergency "
                "(break-glass) access."
            ),
            actions=[
                Link(_("Search the audit log"), reverse("visits:audit")),
                Link(_("Review emergency access"), reverse("visits:break_glass_queue")),
            ],
        )
    ]


def clinician_panels(user) -> list[Panel]:
    in_progress = [
        row for row in dashboard_enrolments(user) if not row["enrolment"].is_complete
    ][:LIST_LIMIT]
    return [
        Panel(
            key="visits",
            title=_("Today's visits"),
            intro=_(
                "Your schedule, waiting rooms and follow-ups are on your visits page."
            ),
            actions=[
                Link(_("Open today's visits"), reverse("visits:home")),
                Link(_("My hours"), reverse("visits:schedule")),
                Link(_("Refill requests"), reverse("visits:refills")),
            ],
        ),
        Panel(
            key="cme",
            title=_("Continuing medical education"),
            items=[
                Link(
                    label=row["enrolment"].activity.title,
                    url=reverse("courses:enrolment", args=[row["enrolment"].uuid]),
                    detail=_("%(percent)d%% done") % {"percent": row["percent"]},
                )
                for row in in_progress
            ],
            empty=_("You have no activity in progress."),
            actions=[
                Link(_("Find a CME activity"), reverse("courses:catalogue")),
                Link(_("My CME"), reverse("courses:dashboard")),
                Link(_("My certificates"), reverse("certificates:mine")),
            ],
        ),
    ]


def specialist_panels(user) -> list[Panel]:
    return [
        Panel(
            key="referrals",
            title=_("Referrals"),
            intro=_("Referrals sent to you, newest first."),
            actions=[
                Link(
                    _("Open my referrals"),
                    reverse("visits:referrals"),
                )
            ],
        )
    ]


def content_panels(user) -> list[Panel]:
    return [
        Panel(
            key="content",
            title=_("Patient education"),
            intro=_("Write, review and publish articles in the admin."),
            actions=[Link(_("Open the admin"), reverse("wagtailadmin_home"))],
        )
    ]


def site_admin_panels(user) -> list[Panel]:
    actions = [
        Link(_("Open the admin"), reverse("wagtailadmin_home")),
        Link(_("Directory groups and roles"), reverse("directory_group_roles:index")),
        Link(_("Clinic set-up: visit types and hours"), reverse("visit_types:index")),
    ]
    if user.is_superuser:
        # The Django admin answers 404 to everyone else (accounts.permissions).
        actions.append(Link(_("Repairs (Django admin)"), reverse("admin:index")))
    return [Panel(key="site", title=_("Site administration"), actions=actions)]


# The table: which panels each role sees, in this order on the page.
PANELS_BY_ROLE: list[tuple[Role, Callable[[object], list[Panel]]]] = [
    (Role.SPECIALIST, specialist_panels),
    (Role.CLINICIAN, clinician_panels),
    (Role.CME_COORDINATOR, coordinator_panels),
    (Role.MEETING_ADMINISTRATOR, meeting_admin_panels),
    (Role.AUDITOR, auditor_panels),
    (Role.EDITOR, content_panels),
    (Role.CLINICAL_REVIEWER, content_panels),
    (Role.SITE_ADMINISTRATOR, site_admin_panels),
]


def panels_for(user) -> list[Panel]:
    panels, seen = [], set()
    for role, build in PANELS_BY_ROLE:
        holds = user.has_role(role) or (
            user.is_superuser and role is Role.SITE_ADMINISTRATOR
        )
        if holds and build not in seen:
            seen.add(build)
            panels.extend(build(user))
    return panels
