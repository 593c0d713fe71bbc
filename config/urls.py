import posixpath

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from cms.sitemaps import AllLanguagesSitemap
from cms.views import alerts_api
from ops import views as ops_views
from ops.views import healthz, offline, service_worker, staff_home, web_manifest

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("staff/", staff_home, name="staff_home"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("sw.js", service_worker, name="service_worker"),
    path("offline/", offline, name="offline"),
    path("notifications/device/", ops_views.device_state, name="push_device_state"),
    path("notifications/subscribe/", ops_views.subscribe_device, name="push_subscribe"),
    path(
        "notifications/unsubscribe/",
        ops_views.unsubscribe_device,
        name="push_unsubscribe",
    ),
    path(
        "notifications/devices/<uuid:uuid>/remove/",
        ops_views.remove_device,
        name="push_remove_device",
    ),
    # Superusers' low-level repair only (accounts.permissions.RepairAdminSite).
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("api/v2/alerts/", alerts_api, name="api_alerts"),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLanguagesSitemap}}),
    # --- app URLs added by later issues go below this line ---
    path("meetings/", include("meetings.urls")),
    path("courses/", include("courses.urls")),
    path("certificates/", include("certificates.urls")),
    path("visits/", include("visits.urls")),
    # SCIM 2.0 provisioning (#14): bearer tokens from manage.py scim_token.
    path("scim/v2/", include("accounts.scim.urls")),
    # Patients' apps (issue 16): the SMART authorization server and the FHIR API.
    path("oauth/", include("visits.smart.oauth_urls", namespace="oauth2_provider")),
    path("fhir/r4/", include("visits.smart.urls")),
]

# Wagtail's image renditions: the only public files in media.
PUBLIC_MEDIA_PREFIX = "images/"

if settings.DEBUG:
    # Under `make run` only the public CMS image renditions are served from media.
    # Everything else there is private (clinical documents, certificates, lecture
    # recordings) and reaches people only through views that check access in every
    # mode: visits' document view, certificates' downloads, courses' lecture files,
    # and Wagtail's document serve view (privacy, collections, hooks).

    def public_media(request, path: str):
        # serve() normalises "images/../visits/..." itself, so check afterwards.
        path = posixpath.normpath(path)
        if not path.startswith(PUBLIC_MEDIA_PREFIX):
            raise Http404
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", public_media)
    ]

if settings.BENCHMARK_ENDPOINTS:
    from ops import bench_views

    urlpatterns += [
        path("_bench/bare", bench_views.bare_get),
        path("_bench/bare-post", bench_views.bare_post),
    ]

# Public content in English at / and in Spanish under /es/. Wagtail's page serving
# comes last: it matches every remaining path. The Notifications page is linked
# from every page's footer, so a Spanish reader reaches it in Spanish too.
urlpatterns += i18n_patterns(
    path(
        "notifications/",
        ops_views.notification_settings,
        name="notification_settings",
    ),
    path("", include("cms.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
