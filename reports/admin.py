from django.contrib import admin

from kansenagenda.admin_readonly import ReadOnlyAdminMixin
from reports.models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: administrators see every generated document and every (permanent) render failure."""

    list_display = ["created_at", "kind", "agenda", "status", "attempts", "error_message"]
    list_filter = ["status", "kind"]
    list_select_related = ["agenda"]
    search_fields = ["agenda__title", "error_message"]
