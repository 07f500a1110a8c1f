from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api import MeView
from accounts.views import health
from kansenagenda.views import accessibility_statement

admin.site.site_header = "Kansenagenda – beheer"
admin.site.site_title = "Kansenagenda"

api_v1 = [
    path("me/", MeView.as_view(), name="api-me"),
    path("", include("agendas.api.urls")),
    path("rapportages/", include("reports.api")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("health/", health, name="health"),
    path("toegankelijkheid/", accessibility_statement, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("agendas/", include("agendas.urls")),
    path("rapportages/", include("reports.urls")),
    path("openbaar/", include("reports.public_urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "kansenagenda.views.bad_request"
handler403 = "kansenagenda.views.permission_denied"
handler404 = "kansenagenda.views.not_found"
handler500 = "kansenagenda.views.server_error"
