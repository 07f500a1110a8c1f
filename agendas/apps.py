from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendasConfig(AppConfig):
    name = "agendas"
    verbose_name = _("Kansenagenda's")

    def ready(self) -> None:
        # Features that follow a case's status through the workflow engine's ``status_changed`` signal.
        from agendas.archive import services  # noqa: F401
        from agendas.summary import signals  # noqa: F401 - the region summary follows every agenda/alliance save
