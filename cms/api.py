"""Wagtail API v2 (pages, images) for the mobile health app, read-only.

There is deliberately no documents endpoint: it would list every document with its
download URL, including CME lecture files that only enrolled learners may fetch.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
