"""Public (Woo) pages under /openbaar/: no login, no personal data."""

from django.urls import path

from reports import public_feeds, views
from reports.opendata import FILES

app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("agendas/<int:pk>/", views.public_agenda, name="agenda"),
    path("agendas/<int:pk>/pdf/", views.public_pdf, name="pdf"),
    # Machine-readable feeds: stable names, no trailing slash (NL API Design Rules).
    *[
        path(f"open-data/{name}", public_feeds.open_data_file, {"kind": kind}, name=f"open-data-{kind}")
        for kind, name in FILES.items()
    ],
]
