"""Admin pages for records that only a service writes (imports, commitments): view and history, no add, change or
delete."""


class ReadOnlyAdminMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
