from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers en organisaties")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import signals  # noqa: F401
        from accounts.accesslog import signals as accesslog_signals

        accesslog_signals.connect()

        from django.contrib.auth.signals import user_logged_in

        from kansenagenda.sessions import mark_renewed_at_login

        user_logged_in.connect(mark_renewed_at_login, dispatch_uid="session_renewed_at_login")

        post_migrate.connect(_grant_administrator_permissions, sender=self)


def _grant_administrator_permissions(sender, **kwargs):
    """The administrator role manages users, organisations, regions, alliances and reference lists."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name="administrator").first()
    if group is None:
        return
    perms = Permission.objects.filter(content_type__app_label__in=["accounts", "agendas", "auth"]).exclude(
        content_type__model__startswith="historical"
    )
    group.permissions.add(*perms)
