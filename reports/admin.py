from django.contrib import admin

from reports.models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Read-only: administrators see every generated document and every (permanent) render failure."""

    list_display = ["created_at", "kind", "agenda", "status", "attempts", "error_message"]
    list_filter = ["status", "kind"]
    list_select_related = ["agenda"]
    search_fields = ["agenda__title", "error_message"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
