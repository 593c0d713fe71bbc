from cms.models.alerts import (
    Alert,
    AlertArea,
    AlertSeverity,
    AlertSubscription,
)
from cms.models.pages import (
    ArticlePage,
    ArticleRelatedLink,
    Audience,
    HomePage,
    TopicIndexPage,
)

__all__ = [
    "Alert",
    "AlertArea",
    "AlertSeverity",
    "AlertSubscription",
    "ArticlePage",
    "ArticleRelatedLink",
    "Audience",
    "HomePage",
    "TopicIndexPage",
]
