from cms.models.alerts import Alert, AlertSeverity, AlertSubscription
from cms.models.pages import (
    ArticlePage,
    ArticleRelatedLink,
    Audience,
    HomePage,
    TopicIndexPage,
)

__all__ = [
    "Alert",
    "AlertSeverity",
    "AlertSubscription",
    "ArticlePage",
    "ArticleRelatedLink",
    "Audience",
    "HomePage",
    "TopicIndexPage",
]
