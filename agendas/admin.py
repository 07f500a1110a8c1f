from agendas.rijk import admin as rijk_admin  # noqa: F401,E402 – registers the Rijk's commitments
from agendas.support import admin as support_admin  # noqa: F401,E402 – registers the support track
from agendas.welfare import admin as welfare_admin  # noqa: F401 – registers the monitor models
