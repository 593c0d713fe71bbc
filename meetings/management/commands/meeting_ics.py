from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings import ics
from meetings.models import Meeting
from meetings.services import join_page_url


class Command(BaseCommand):
    help = "Print the invitation (iCalendar, METHOD:REQUEST) of MEETING_UUID."

    def add_arguments(self, parser):
        parser.add_argument("meeting_uuid")

    def handle(self, *args, meeting_uuid: str, **options):
        try:
            meeting = Meeting.objects.select_related("organizer").get(uuid=meeting_uuid)
        except (Meeting.DoesNotExist, ValidationError):
            raise CommandError(f"No meeting has the id {meeting_uuid}.") from None
        method = "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"
        attendees = [
            ics.Attendee(person.email, person.display_name)
            for person in meeting.participants().exclude(pk=meeting.organizer_id)
        ] + [
            ics.Attendee(guest.email, guest.display_name)
            for guest in meeting.guests.all()
        ]
        calendar = ics.invitation(
            meeting=meeting,
            method=method,
            attendees=attendees,
            join_url=join_page_url(meeting),
        )
        self.stdout.write(calendar.decode())
