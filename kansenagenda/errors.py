"""Domain errors raised by services; views and the API translate them into messages and status codes."""


class ConflictError(Exception):
    """A write was based on an outdated version of the object (optimistic locking).

    ``changes`` is what changed since the writer's version, {key: {label, old, new}}; ``current_lock_version``
    the object's version now (``None`` when it is gone). Raised by ``kansenagenda.locking.check_lock`` (and
    when the object was deleted meanwhile); every API door answers it with the one 409 problem (kansenagenda.problems.conflict_extensions)."""

    def __init__(self, message, changes: dict | None = None, current_lock_version: int | None = None):
        super().__init__(message)
        self.message = message
        self.changes = changes or {}
        self.current_lock_version = current_lock_version


class TransitionRefused(Exception):
    """A workflow action is not allowed now; carries reasons a person can act on."""

    def __init__(self, message, reasons=(), code: str = "refused", status: int = 409):
        super().__init__(message)
        self.message = message
        self.reasons = list(reasons)
        self.code = code
        self.status = status
