from django.apps import AppConfig


class KansenagendaConfig(AppConfig):
    """The project package as an app: only for start-up hooks that belong to no feature app."""

    name = "kansenagenda"
    verbose_name = "Kansenagenda"

    def ready(self) -> None:
        from kansenagenda.api import install_strict_types

        install_strict_types()
