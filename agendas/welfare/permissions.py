"""Who may do what with the Monitor Brede Welvaart: only administrators import figures (any door: the upload
page, its status endpoint; the management command runs as the system)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import is_admin


class MonitorPolicy:
    def can_import(self, user) -> bool:
        return is_admin(user)

    def check_import(self, user) -> None:
        if not self.can_import(user):
            raise PermissionDenied(_("Alleen een functioneel beheerder kan monitorcijfers inlezen."))

    def get_import_for(self, user, pk):
        """An import for its status page: refused for anyone who may not import, 404 for an unknown one."""
        from agendas.welfare.models import MonitorImport

        self.check_import(user)
        record = MonitorImport.objects.filter(pk=pk).first()
        if record is None:
            raise Http404
        return record


monitor_policy = MonitorPolicy()
