from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from accounts.api import MeView
from kansenagenda import health
from kansenagenda.benchmark import urlpatterns_when_enabled
from kansenagenda.openapi import ApiRootView, OpenApiDocumentView
from kansenagenda.views import accessibility_statement

admin.site.site_header = "Kansenagenda – beheer"
admin.site.site_title = "Kansenagenda"

# NL API Design Rules (docs/api.md): no trailing slash on any API URL (tests/test_api_design_rules.py walks them);
# any other /api/ URL is a 404 problem, never a redirect (kansenagenda.problems.ApiUnknownUrlMiddleware).
api_v1 = [
    path("openapi.json", OpenApiDocumentView.as_view(), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("me", MeView.as_view(), name="api-me"),
    path("", include("agendas.api.urls")),
    path("rapportages/", include("reports.api")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("health/", health.health, name="health"),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("toegankelijkheid/", accessibility_statement, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("agendas/", include("agendas.urls")),
    path("rapportages/", include("reports.urls")),
    path("openbaar/", include("reports.public_urls")),
    path("api/v1", ApiRootView.as_view(), name="api-root"),
    path("kalender/", include("agendas.calendarfeed.views")),
    path("api/v1/", include(api_v1)),
]

urlpatterns += urlpatterns_when_enabled()  # bare references for scripts/benchmark.py, off by default

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "kansenagenda.views.bad_request"
handler403 = "kansenagenda.views.permission_denied"
handler404 = "kansenagenda.views.not_found"
handler500 = "kansenagenda.views.server_error"
