"""Tags for every page: the alert banner, the language switcher, the title, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from cms.cache import cache_lifetime, current_generation
from cms.models import Alert

register = template.Library()

# Same escapes as Django's json_script: the JSON can never close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def active_alerts() -> list[Alert]:
    """Live alerts now, most severe first; cached no longer than the next change."""
    if not settings.CMS_PAGE_CACHE_SECONDS:
        return list(Alert.objects.active())
    key = f"cms:banner:{current_generation()}"
    alerts = cache.get(key)
    if alerts is None:
        now = timezone.now()
        alerts = list(Alert.objects.active(now))
        lifetime = cache_lifetime(Alert.objects.seconds_until_next_change(now))
        if lifetime:
            cache.set(key, alerts, lifetime)
    return alerts


@register.inclusion_tag("cms/includes/alert_banner.html")
def alert_banner():
    now = timezone.now()
    # A cached list may hold an alert that ended a moment ago; never show it.
    return {"alerts": [alert for alert in active_alerts() if alert.is_active(now)]}


@register.inclusion_tag("cms/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    current = translation.get_language()
    page = context.get("page")
    links = []
    if page is not None and hasattr(page, "get_translations"):
        translated = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True)
            .live()
            .select_related("locale")
        }
        for code, name in settings.LANGUAGES:
            if code in translated and code != current:
                links.append((code, name, translated[code].get_url(request)))
    elif request is not None:
        for code, name in settings.LANGUAGES:
            url = translate_url(request.get_full_path(), code)
            if code != current and url != request.get_full_path():
                links.append((code, name, url))
    return {"links": links}


@register.filter(is_safe=True)  # the block it wraps is already escaped
def with_site_name(title: str) -> str:
    """ "Page · TeleCampus", and the site name once when the page is the site
    itself (the home page is titled TeleCampus) or has no title."""
    site_name = settings.WAGTAIL_SITE_NAME
    title = " ".join(str(title).split())
    if not title or title == site_name:
        return site_name
    return f"{title} · {site_name}"


@register.simple_tag
def json_ld(data: dict) -> str:
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(  # noqa: S308 - escaped above exactly like django's json_script
        f'<script type="application/ld+json">{payload}</script>'
    )
