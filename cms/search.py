"""Site search over articles, topics and active alerts, with promoted results.

Wagtail's database backend uses PostgreSQL full-text search on PostgreSQL and its
own index elsewhere; nothing here depends on which.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import strip_tags
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page

from cms.models import Alert, ArticlePage, TopicIndexPage


@dataclass
class SearchOutcome:
    query: str
    topic: TopicIndexPage | None
    pages: object = ()
    promoted: list = field(default_factory=list)
    alerts: list = field(default_factory=list)


_NOT_A_WORD = re.compile(r"[^\w]+")


def clean_query(raw: str) -> str:
    """The query as shown back to the visitor: printable and not overlong."""
    printable = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(printable.split())[: settings.CMS_SEARCH_MAX_QUERY_LENGTH]


def search_terms(query: str) -> str:
    """Plain lower-case words only. Search backends give punctuation and upper-case
    AND/OR/NOT/NEAR a meaning (SQLite FTS5 fails on a stray % or quote), and a
    visitor typing them means none of it."""
    return " ".join(_NOT_A_WORD.sub(" ", query).lower().split())


def topics_for(locale: Locale):
    return (
        TopicIndexPage.objects.live().public().filter(locale=locale).order_by("title")
    )


def search_site(
    *, raw_query: str, topic_slug: str = "", locale: Locale
) -> SearchOutcome:
    query = clean_query(raw_query)
    topic = topics_for(locale).filter(slug=topic_slug).first() if topic_slug else None
    outcome = SearchOutcome(query=query, topic=topic)
    terms = search_terms(query)
    if not terms:
        return outcome
    pages = (
        Page.objects.live()
        .public()
        .filter(locale=locale)
        .type(ArticlePage, TopicIndexPage)
    )
    if topic is not None:
        pages = pages.descendant_of(topic, inclusive=True)
    outcome.pages = pages.specific().search(terms)
    promotions = Query.get(terms)
    promotions.add_hit()
    outcome.promoted = [
        pick.page.specific
        for pick in promotions.editors_picks.select_related("page").filter(
            page__live=True, page__locale=locale
        )
    ]
    if topic is None:
        # Few alerts are active at once: match them here, accent-blind, in both
        # languages' wording.
        wanted = fold_accents(query)
        outcome.alerts = [
            alert
            for alert in Alert.objects.active()
            if any(
                wanted in fold_accents(strip_tags(text))
                for text in (
                    alert.title,
                    alert.body,
                    alert.areas,
                    alert.title_es,
                    alert.body_es,
                    alert.areas_es,
                )
            )
        ]
    return outcome


def fold_accents(text: str) -> str:
    """Lower case without accents: "Presión" -> "presion"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
