"""Domain errors raised by services; views and the API translate them into messages and status codes."""


class ConflictError(Exception):
    """A write was based on an outdated version of the object (optimistic locking)."""

    def __init__(self, message, changes: dict | None = None):
        super().__init__(message)
        self.message = message
        self.changes = changes or {}


class TransitionRefused(Exception):
    """A workflow action is not allowed now; carries reasons a person can act on."""

    def __init__(self, message, reasons=(), code: str = "refused", status: int = 409):
        super().__init__(message)
        self.message = message
        self.reasons = list(reasons)
        self.code = code
        self.status = status
