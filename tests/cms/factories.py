"""Builders for the patient-education page tree and alerts in tests."""

import datetime
import itertools

from django.utils import timezone
from wagtail.models import Locale

from cms.models import Alert, AlertSeverity, ArticlePage, HomePage, TopicIndexPage

_counter = itertools.count(1)

PARAGRAPH = (
    "<p>Check your blood pressure at home each morning. Sit still and rest for five "
    "minutes first. Write the numbers down and bring them to your visit. Call your "
    "care team if the numbers are high.</p>"
)


def home_page(language_code: str = "en") -> HomePage:
    return HomePage.objects.get(
        locale=Locale.objects.get(language_code=language_code), depth=2
    )


def make_topic(*, title: str = "Heart health", parent=None, **fields) -> TopicIndexPage:
    parent = parent or home_page()
    topic = TopicIndexPage(
        title=title, slug=fields.pop("slug", f"topic-{next(_counter)}"), **fields
    )
    parent.add_child(instance=topic)
    topic.save_revision().publish()
    return topic


def make_article(
    *, topic, title: str = "Measuring blood pressure", live: bool = True, **fields
) -> ArticlePage:
    fields.setdefault("summary", "How to check your blood pressure at home.")
    fields.setdefault("body", [("paragraph", PARAGRAPH)])
    article = ArticlePage(
        title=title,
        slug=fields.pop("slug", f"article-{next(_counter)}"),
        live=live,
        **fields,
    )
    topic.add_child(instance=article)
    revision = article.save_revision(user=fields.get("owner"))
    if live:
        revision.publish()
    return article


def make_alert(
    *,
    title: str = "Measles cases in the county",
    severity: int = AlertSeverity.ADVISORY,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    publish: bool = True,
    **fields,
) -> Alert:
    now = timezone.now()
    alert = Alert(
        title=title,
        severity=severity,
        body="<p>Check that your vaccines are up to date.</p>",
        start=start or now - datetime.timedelta(hours=1),
        end=end or now + datetime.timedelta(days=1),
        live=False,
        **fields,
    )
    alert.full_clean()
    alert.save()
    if publish:
        alert.save_revision().publish()
        alert.refresh_from_db()
    return alert
