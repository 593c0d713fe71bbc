from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = (
        "Build the demo through the real services: every installed app's demo.seed(), "
        "in INSTALLED_APPS order. Safe to run again: it creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (never on a real hospital's database).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates demo accounts "
                "with a "
                "published password. Pass --force if this really is a demo server."
            )
        for app_config in apps.get_app_configs():
            if not module_has_submodule(app_config.module, "demo"):
                continue
            demo = import_module(f"{app_config.name}.demo")
            for line in demo.seed():
                self.stdout.write(f"{app_config.label}: {line}")
        self.stdout.write(self.style.SUCCESS("Demo ready."))
