from django.urls import path

from reports import need_views, saved_filter_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agendas/", views.agenda_list, name="agenda_list"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("agendas/<int:pk>/documenten/", views.agenda_documents, name="agenda_documents"),
    path("documenten/<int:pk>/", views.document_status, name="document"),
    path("documenten/<int:pk>/download/", views.document_download, name="document_download"),
    path("filters/bewaren/", saved_filter_views.save, name="saved_filter_save"),
    path("filters/<int:pk>/verwijderen/", saved_filter_views.delete, name="saved_filter_delete"),
    *need_views.urlpatterns,
]
