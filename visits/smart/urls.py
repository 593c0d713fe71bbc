"""The FHIR R4 REST API and SMART discovery under /fhir/r4/."""

from django.urls import path, re_path

from visits.smart import api_views
from visits.smart.oauth_views import smart_configuration

app_name = "fhir"

urlpatterns = [
    path("", api_views.metadata, name="base"),
    path("metadata", api_views.metadata, name="metadata"),
    path(
        ".well-known/smart-configuration",
        smart_configuration,
        name="smart_configuration",
    ),
    re_path(r"^(?P<kind>[A-Z][A-Za-z]+)$", api_views.type_endpoint, name="type"),
    re_path(
        r"^(?P<kind>[A-Z][A-Za-z]+)/(?P<resource_id>[A-Za-z0-9\-\.]{1,64})$",
        api_views.read,
        name="read",
    ),
]
