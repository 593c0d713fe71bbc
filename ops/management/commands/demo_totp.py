import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current six-digit code for the demo personas' TOTP secret."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DEBUG on.")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(
            format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, counter))
        )
