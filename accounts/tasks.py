from celery import shared_task
from django.utils import timezone

from accounts import services
from accounts.models import OutboxMessage


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=7)
def deliver_outbox_message(self, message_id: int) -> bool:
    return services.deliver_outbox_message(message_id=message_id)


@shared_task
def sweep_outbox() -> int:
    """Deliver every message that is still waiting (broker was down, worker crashed...)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=30)
    ids = list(
        OutboxMessage.objects.filter(delivered_at__isnull=True, failed_permanently=False, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    sent = 0
    for pk in ids:
        try:
            sent += services.deliver_outbox_message(message_id=pk)
        except OSError:
            continue
    return sent


@shared_task
def ping() -> str:
    """Used by the health check and the CI test that a real worker picks up tasks."""
    return "pong"
