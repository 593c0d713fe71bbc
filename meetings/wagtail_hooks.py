"""Meetings in the Wagtail admin: read-mostly viewsets and a warning when Jitsi
tokens are not configured (anyone with a room address could then enter)."""

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from meetings import jitsi
from meetings.models import ActionItem, Meeting, Occurrence, group_label
from meetings.services.scheduling import validate_people


class ConfidentialHidden:
    """Keep visit rooms and care-coordination meetings (and their sittings and
    action items) out of every admin view: listed nowhere, and their edit, delete
    and inspect URLs answer 404. An administrator could otherwise invite themselves
    into a patient's video visit, turn on recording or cancel the visit's sitting."""

    def get_queryset(self):
        raise NotImplementedError

    def get_common_view_kwargs(self, **kwargs):
        # Only views that take a queryset receive it (Wagtail filters the kwargs).
        return super().get_common_view_kwargs(queryset=self.get_queryset(), **kwargs)


class MeetingViewSet(ConfidentialHidden, ModelViewSet):
    model = Meeting
    # The name is also a URL namespace: "meetings" belongs to the site's pages.
    name = "meetings_admin"
    url_prefix = "meetings"
    icon = "date"
    menu_label = gettext_lazy("Meetings")
    list_display = ["title", "kind", "organizer", "start", "time_zone", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    form_fields = [
        "title",
        "agenda",
        "co_hosts",
        "invitees",
        "invitee_groups",
        "lobby_enabled",
        "recording_enabled",
        "livestreaming_enabled",
        "transcription_enabled",
        "cme_activity_uuid",
    ]
    # New meetings go through the scheduling form (occurrences, invitations): no
    # role has meetings.add_meeting, which hides "Add" here.
    copy_view_enabled = False

    def get_queryset(self):
        return Meeting.objects.not_confidential()

    def formfield_for_dbfield(self, db_field, **kwargs):
        # People and groups are limited to staff by the model (limit_choices_to);
        # groups read as their role ("Clinical reviewer"), not their key.
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "invitee_groups":
            field.label_from_instance = group_label
        return field

    def get_form_class(self, for_update=False):
        base = super().get_form_class(for_update)

        class MeetingAdminForm(base):
            """The same caps as the scheduling form: each person added here is
            emailed on the next change or cancellation."""

            def clean(self):
                data = super().clean()
                try:
                    validate_people(
                        invitees=data.get("invitees") or [],
                        co_hosts=data.get("co_hosts") or [],
                        groups=data.get("invitee_groups") or [],
                    )
                except ValidationError as error:
                    self.add_error(None, error)
                return data

        return MeetingAdminForm


class OccurrenceViewSet(ConfidentialHidden, ModelViewSet):
    model = Occurrence
    name = "meeting-dates"
    icon = "time"
    menu_label = gettext_lazy("Meeting dates")
    list_display = [
        "meeting",
        "start",
        "duration_minutes",
        "is_cancelled",
        "is_modified",
    ]
    list_filter = ["is_cancelled", "is_modified"]
    form_fields = ["is_cancelled"]
    copy_view_enabled = False

    def get_queryset(self):
        return Occurrence.objects.filter(
            meeting__in=Meeting.objects.not_confidential().values("pk")
        )


class ActionItemViewSet(ConfidentialHidden, ModelViewSet):
    model = ActionItem
    name = "meeting-actions"
    icon = "tasks"
    menu_label = gettext_lazy("Action items")
    list_display = ["description", "owner", "due_date", "done"]
    list_filter = ["done"]
    form_fields = ["description", "owner", "due_date", "done"]
    copy_view_enabled = False

    def get_queryset(self):
        return ActionItem.objects.filter(
            occurrence__meeting__in=Meeting.objects.not_confidential().values("pk")
        )


class MeetingsGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Meetings")
    menu_icon = "date"
    items = (MeetingViewSet, OccurrenceViewSet, ActionItemViewSet)


@hooks.register("register_admin_viewset")
def register_meetings_viewsets():
    return MeetingsGroup()


class JitsiTokenWarning(Component):
    order = 50

    def render_html(self, parent_context=None) -> str:
        if jitsi.tokens_enabled():
            return ""
        return format_html(
            '<section class="help-block help-warning" aria-label="{}">'
            "<p>{}</p></section>",
            _("Video meeting configuration"),
            _(
                "Jitsi tokens are not configured (JITSI_APP_ID and JITSI_APP_SECRET), "
                "so meetings open by their plain room address and anyone who has it "
                "can enter. Configure a secret before real use."
            ),
        )


@hooks.register("construct_homepage_panels")
def add_jitsi_warning(request, panels):
    if request.user.has_perm("meetings.view_meeting"):
        panels.append(JitsiTokenWarning())
