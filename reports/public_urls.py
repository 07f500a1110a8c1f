"""Public (Woo) pages under /openbaar/: no login, no personal data."""

from django.urls import path

from reports import public_feeds, views
from reports.opendata import FILES

app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("agendas/<int:pk>/", views.public_agenda, name="agenda"),
    path("agendas/<int:pk>/pdf/", views.public_pdf, name="pdf"),
    path("agendas/<int:pk>/besluit/", public_feeds.public_decision, name="decision"),
    path("agendas/<int:pk>/besluitbrief/", public_feeds.public_decision_letter, name="decision-letter"),
    # Machine-readable feeds: stable names, no trailing slash (NL API Design Rules).
    *[
        path(f"open-data/{name}", public_feeds.open_data_file, {"kind": kind}, name=f"open-data-{kind}")
        for kind, name in FILES.items()
    ],
    path("sitemap.xml", public_feeds.woo_sitemap, name="sitemap"),
    path("agendas/<int:pk>/metadata.xml", public_feeds.agenda_metadata, name="agenda-metadata"),
    path("agendas/<int:pk>/besluit/metadata.xml", public_feeds.decision_metadata, name="decision-metadata"),
    path(
        "agendas/<int:pk>/besluitbrief/metadata.xml",
        public_feeds.decision_letter_metadata,
        name="decision-letter-metadata",
    ),
]
