"""Demo patient education: six topics and six reviewed articles, each in English and
Spanish, and one alert with its Spanish wording.

seed_demo (ops) calls seed() after accounts created the personas. Idempotent: pages
are found by slug and the alert by title. Content is published as the reviewer
persona, as if it had been through clinical review.
"""

import datetime

from django.utils import timezone
from wagtail.models import Locale

from accounts.models import User
from cms.demo_content import ALERT, ALERT_AREAS, ARTICLES, TOPICS
from cms.models import (
    Alert,
    AlertArea,
    AlertSeverity,
    ArticlePage,
    HomePage,
    TopicIndexPage,
)


def seed() -> list[str]:
    home = HomePage.objects.get(locale=Locale.get_default(), depth=2)
    reviewer = User.objects.filter(username="reviewer").first()
    lines = []
    topics = {spec["slug"]: _topic(home, spec, reviewer) for spec in TOPICS}
    spanish = Locale.objects.get(language_code="es")
    for spec in TOPICS:
        _translate_topic(topics[spec["slug"]], spec, spanish, reviewer)
    for spec in ARTICLES:
        article = _article(topics[spec["topic"]], spec, reviewer)
        lines.append(f"article {article.title}")
        translated = _translate(article, spec["es"], spanish, reviewer)
        lines.append(f"Spanish article {translated.title}")
    for spec in ALERT_AREAS:
        AlertArea.objects.get_or_create(slug=spec["slug"], defaults=spec)
    alert = _alert(reviewer)
    lines.append(f"alert {alert.title}")
    return lines


def _publish(page, user) -> None:
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def _topic(home, spec, reviewer) -> TopicIndexPage:
    existing = TopicIndexPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if existing:
        return existing
    topic = TopicIndexPage(
        title=spec["title"], slug=spec["slug"], intro=spec["intro"], featured=True
    )
    home.add_child(instance=topic)
    _publish(topic, reviewer)
    return topic


def _article(topic, spec, reviewer) -> ArticlePage:
    existing = ArticlePage.objects.child_of(topic).filter(slug=spec["slug"]).first()
    if existing:
        return existing
    article = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        body=spec["body"],
        references=spec["references"],
        reviewed_by=reviewer,
        last_reviewed=timezone.localdate()
        - datetime.timedelta(days=spec["reviewed_days_ago"]),
    )
    topic.add_child(instance=article)
    _publish(article, reviewer)
    return article


def _translate_topic(topic, spec, spanish, reviewer) -> TopicIndexPage:
    existing = topic.get_translation_or_none(spanish)
    if existing:
        return existing
    spanish_topic = topic.copy_for_translation(spanish)
    spanish_topic.title = spec["es_title"]
    spanish_topic.intro = spec["es_intro"]
    _publish(spanish_topic, reviewer)
    return spanish_topic


def _translate(article, es, spanish, reviewer) -> ArticlePage:
    existing = article.get_translation_or_none(spanish)
    if existing:
        return existing
    translated = article.copy_for_translation(spanish)
    translated.title = es["title"]
    translated.summary = es["summary"]
    translated.body = es["body"]
    _publish(translated, reviewer)
    return translated


def _alert(reviewer) -> Alert:
    existing = Alert.objects.filter(title=ALERT["title"]).first()
    if existing:
        if not existing.title_es:  # a database seeded before alerts had Spanish
            Alert.objects.filter(pk=existing.pk).update(
                title_es=ALERT["title_es"],
                areas_es=ALERT["areas_es"],
                body_es=ALERT["body_es"],
            )
        return existing
    now = timezone.now()
    alert = Alert(
        title=ALERT["title"],
        severity=AlertSeverity.ADVISORY,
        areas=ALERT["areas"],
        body=ALERT["body"],
        title_es=ALERT["title_es"],
        areas_es=ALERT["areas_es"],
        body_es=ALERT["body_es"],
        links=[("link", link) for link in ALERT["links"]],
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(days=60),
        live=False,
    )
    alert.save()
    alert.save_revision(user=reviewer).publish(
        user=reviewer, skip_permission_checks=True
    )
    return alert
