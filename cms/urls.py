from django.urls import path

from cms import views
from cms.feeds import ActiveAlertsFeed

app_name = "cms"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/feed.atom", ActiveAlertsFeed(), name="alert_feed"),
    path("alerts/subscription/", views.alert_subscription, name="alert_subscription"),
    path("alerts/<uuid:uuid>/", views.alert_detail, name="alert_detail"),
]
