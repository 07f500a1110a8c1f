from agendas.welfare import admin as welfare_admin  # noqa: F401 – registers the monitor models
