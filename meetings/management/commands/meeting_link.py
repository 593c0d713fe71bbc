from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from meetings.models import Meeting
from meetings.services import JoinRefused, join_context


class Command(BaseCommand):
    help = (
        "Print the Jitsi join URL, with the token, that USERNAME would get for "
        "MEETING_UUID right now. Exits non-zero when that person may not join."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting_uuid")
        parser.add_argument("username")

    def handle(self, *args, meeting_uuid: str, username: str, **options):
        try:
            meeting = Meeting.objects.get(uuid=meeting_uuid)
        except (Meeting.DoesNotExist, ValidationError):
            raise CommandError(f"No meeting has the id {meeting_uuid}.") from None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No person has the username {username}.")
        try:
            join = join_context(meeting=meeting, user=user)
        except JoinRefused as refusal:
            raise CommandError(f"{username} may not join: {refusal.reason}") from None
        self.stdout.write(join.url)
