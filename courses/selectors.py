"""Read-side queries shared by views, pages and exports (constant query counts)."""

from django.db.models import Prefetch

from courses.models import ActivityPage, CreditDesignation


def catalogue_activities():
    """Live activities with their designations, newest release first."""
    return (
        ActivityPage.objects.live()
        .public()
        .order_by("-release_date", "title")
        .prefetch_related(
            Prefetch(
                "designations",
                queryset=CreditDesignation.objects.order_by("sort_order"),
            )
        )
    )
