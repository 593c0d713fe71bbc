"""The installable app (#17): its manifest, and what its service worker may keep.

The portal installs as a Progressive Web App: no app store, the same pages. The
service worker (templates/ops/service_worker.js) keeps only what is the same for
everyone: the shell (style sheet, icons, the script that registers it), the offline
page, and pages the server marks as an offline copy for anyone (cms.cache marks
public pages served to visitors). Visit pages, records and every page behind a
sign-in never carry the mark, so no health information is stored on the phone.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.services import Role, landing_url
from cms.models import AlertArea
from notifications.services import topics

# Bump when the service worker's caching rules change; the new worker then drops
# every cache an older one made.
CACHE_VERSION = "1"
THEME_COLOR = "#0b5a7a"  # --brand in static/css/site.css
BACKGROUND_COLOR = "#ffffff"

ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
]


def start_url_for(user) -> str:
    """Where the installed app opens: patients on their visits, staff on their
    landing page, visitors on the home page with its health articles and alerts."""
    if user.is_authenticated and user.has_role(Role.PATIENT):
        return reverse("visits:home")
    return landing_url(user)


def manifest_for(user) -> dict:
    return {
        # One id for every audience, so a person who signs in later still has
        # one installed app rather than two.
        "id": "/",
        "name": settings.WAGTAIL_SITE_NAME,
        "short_name": settings.WAGTAIL_SITE_NAME,
        "description": _(
            "Video visits, continuing medical education and health information."
        ),
        "start_url": start_url_for(user),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": use}
            for path, sizes, use in ICONS
        ],
    }


def shell_urls() -> list[str]:
    """Fetched when the worker installs, so the offline page has its look."""
    return [
        reverse("offline"),
        static("css/site.css"),
        static("js/phone_app/register.js"),
        static("js/phone_app/notifications.js"),
        *(static(path) for path, _sizes, _use in ICONS),
    ]


def topic_choices_for(user) -> list[tuple[str, str]]:
    """The notifications this person may ask for on a device, as (topic, label)."""
    choices = []
    if user.is_authenticated and user.has_role(Role.PATIENT):
        choices += [
            (topics.VISIT_REMINDERS, _("Reminders before my video visits")),
            (topics.MEDICINE_REMINDERS, _("Reminders to take my medicines")),
        ]
    if user.is_authenticated and user.is_staff_role:
        choices.append((topics.MEETING_REMINDERS, _("Reminders before my meetings")))
    choices.append((topics.ALERTS, _("Public-health alerts for every area")))
    for area in AlertArea.objects.all():
        label = (
            area.name_es
            if translation.get_language() == "es" and area.name_es
            else area.name
        )
        choices.append(
            (area.push_topic, _("Public-health alerts for %(area)s") % {"area": label})
        )
    return choices
