"""Runs a real Celery worker on Redis against the real PostgreSQL test database.

Also the outbox fault scenario: the broker is unreachable during a change, the change still commits,
and once a worker runs the sweep exactly one e-mail goes out.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.models import OutboxMessage
from accounts.services import queue_email
from tests.servers import wait_for as _wait_for

pytestmark = [pytest.mark.needs_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (a real broker)")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database server (PostgreSQL)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kansenagenda.settings.test",
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kansenagenda",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "-P",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
    )
    yield queue, mail_dir
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_outbox_survives_broker_outage_and_worker_delivers_exactly_once(worker, settings):
    from kansenagenda.celery import app

    queue, mail_dir = worker
    # 1. Broker down (closed port) while the change commits: the change and its outbox row survive.
    good_broker = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.amqp._producer_pool = None
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            message = queue_email(
                recipient="coordinator@example.nl",
                subject="Agenda ingediend",
                template="accounts/email/password_reset_subject.txt",
                context={},
                kind="test",
            )
        assert OutboxMessage.objects.get(pk=message.pk).delivered_at is None
    finally:
        app.conf.broker_url = good_broker
        app._pool = None
        app.amqp._producer_pool = None
    # 2. Broker back: the sweep (beat job) is picked up by the real worker, which sends it once.
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=message.created_at - __import__("datetime").timedelta(minutes=5)
    )
    from accounts.tasks import sweep_outbox

    sweep_outbox.apply_async(queue=queue)
    assert _wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).delivered_at is not None)
    # A second sweep sends nothing more.
    sweep_outbox.apply_async(queue=queue)
    time.sleep(2)
    assert len(list(mail_dir.iterdir())) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


@pytest.fixture(autouse=True)
def _restore_eager():
    from kansenagenda.celery import app

    yield
    app.conf.task_always_eager = True
