"""The authorization server under /oauth/. The namespace is django-oauth-toolkit's
own, because its OpenID views look their neighbours up by it. Its application
management pages are not mounted: administrators register apps in the admin."""

from django.urls import path, re_path
from oauth2_provider import views as oauth_views

from visits.smart.oauth_views import ConsentView, SmartTokenView

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", ConsentView.as_view(), name="authorize"),
    path("token/", SmartTokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        oauth_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", oauth_views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", oauth_views.UserInfoView.as_view(), name="user-info"),
]
