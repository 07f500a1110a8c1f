from celery import shared_task

from accounts import services


@shared_task(bind=True, acks_late=True)
def deliver_outbox_message(self, message_id: int) -> bool:
    """Deliver one message. Never raises for a bad message: the failure and its back-off are recorded on the
    message itself and the periodic sweep tries again when it is due."""
    return services.deliver_outbox_message(message_id=message_id)


@shared_task
def sweep_outbox() -> dict:
    """Deliver every message that is still waiting (broker was down, worker crashed, back-off passed)."""
    return services.sweep_outbox()


@shared_task
def ping() -> str:
    """Used by the health check and the CI test that a real worker picks up tasks."""
    return "pong"
