"""Two app instances behave as one (issue 13): two gunicorn processes on different ports and two Celery
workers, sharing one PostgreSQL database, one Redis (cache + broker) and one S3 bucket (moto's server).

One user is driven through both instances alternately: log in on A and continue on B; upload on A and
download on B; request a dossier on B that a worker renders and A serves; two signatories sign the same nota
through A and B at once (exactly one wins); the outbox sweep (a beat job) run on both workers at once
(each e-mail sent once). Nothing may live in one process only: the instances' MEDIA_ROOT stays empty.

Runs only against real servers (PostgreSQL + REDIS_URL), like the other ``postgres``/``needs_worker`` tests.
The figures (requests per instance, conflicts, duplicates) are written to var/scale-out-figures.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.agendas.workflow_fixtures import advance, build_world
from tests.servers import free_port, wait_for, wait_for_port

pytestmark = [pytest.mark.postgres, pytest.mark.needs_worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-Horse-42!"  # tests.factories.UserFactory
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n" + b"%" * 150_000
FIGURES: dict = {"requests": Counter(), "conflicts": 0, "duplicates": 0, "winners": 0}


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Cluster:
    def __init__(self, tmp: Path, moto_s3):
        self.tmp = tmp
        self.media = tmp / "media"
        self.mail = tmp / "mail"
        self.mail.mkdir()
        self.bucket = moto_s3.new_bucket()
        self.moto = moto_s3
        self.queue = f"scale-{os.getpid()}-{time.time_ns()}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
            **moto_s3.env(self.bucket),
            "DJANGO_SETTINGS_MODULE": "tests.scale_out_settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "TWO_FACTOR_ENFORCED": "false",
            "AXES_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        self.procs: list[subprocess.Popen] = []
        self.ports: dict[str, int] = {}

    def _spawn(self, name: str, args: list[str]) -> None:
        log = (self.tmp / f"{name}.log").open("w")
        self.procs.append(
            subprocess.Popen(
                args, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )

    def start(self) -> None:
        for name in ("A", "B"):
            port = free_port()
            self.ports[name] = port
            self._spawn(
                f"web-{name}",
                [sys.executable, "-m", "gunicorn", "kansenagenda.wsgi", "--no-control-socket", "--bind",
                 f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--timeout", "120"],
            )  # fmt: skip
            wait_for_port(port, timeout=90)
        for name in ("w1", "w2"):
            self._spawn(
                f"worker-{name}",
                [sys.executable, "-m", "celery", "-A", "kansenagenda", "worker", "-P", "solo", "-n", f"{name}@%h",
                 "-Q", f"{self.queue},{self.queue}-{name}", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "-l", "INFO"],
            )  # fmt: skip

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def url(self, instance: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[instance]}{path}"

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted(self.tmp.glob("*.log")))


@pytest.fixture
def cluster(tmp_path_factory, moto_s3, transactional_db):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (a real broker and cache)")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (one database for all instances)")
    c = Cluster(tmp_path_factory.mktemp("cluster"), moto_s3)
    c.start()
    yield c
    c.stop()
    Path(settings.BASE_DIR, "var").mkdir(exist_ok=True)
    figures = {**FIGURES, "requests": dict(FIGURES["requests"])}
    Path(settings.BASE_DIR, "var", "scale-out-figures.json").write_text(json.dumps(figures, indent=2))
    print("\nscale-out figures:", json.dumps(figures))  # noqa: T201


@pytest.fixture(autouse=True)
def _publish_to_the_real_broker(settings):
    from kansenagenda.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


class Browser:
    """One person's browser: one cookie jar, each request sent to the instance named."""

    def __init__(self, cluster: Cluster):
        import requests

        self.cluster = cluster
        self.session = requests.Session()

    def request(self, method: str, instance: str, path: str, **kwargs):
        FIGURES["requests"][instance] += 1
        if method == "POST":
            data = kwargs.setdefault("data", {})
            data.setdefault("csrfmiddlewaretoken", self.session.cookies.get("csrftoken", ""))
        return self.session.request(
            method, self.cluster.url(instance, path), allow_redirects=False, timeout=60, **kwargs
        )

    def login(self, instance: str, user) -> None:
        self.request("GET", instance, reverse("login"))
        response = self.request("POST", instance, reverse("login"), data={"username": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text[:1000]


def _wait_for(predicate, timeout=90):
    return wait_for(predicate, timeout)


def _scenario_log_in_on_a_continue_on_b_and_log_out_on_b(cluster):
    world = build_world()
    browser = Browser(cluster)
    browser.login("A", world.coordinator)
    detail = reverse("agendas:agenda_detail", args=[world.agenda.pk])
    on_b = browser.request("GET", "B", detail)
    assert on_b.status_code == 200 and world.agenda.title in on_b.text
    assert browser.request("GET", "A", detail).status_code == 200
    assert browser.request("POST", "B", reverse("logout")).status_code in (200, 302)
    assert browser.request("GET", "A", detail).status_code == 302  # the session is gone everywhere


def _scenario_upload_on_a_download_on_b(cluster):
    from agendas.models import Attachment

    world = build_world()
    browser = Browser(cluster)
    browser.login("A", world.coordinator)
    response = browser.request(
        "POST",
        "A",
        reverse("agendas:attachment_upload", args=[world.agenda.pk]),
        data={"description": "Plan"},
        files={"file": ("plan.pdf", PDF_BYTES, "application/pdf")},
    )
    assert response.status_code == 302, (response.status_code, re.findall(r"error[^>]*>([^<]+)<", response.text))
    attachment = Attachment.objects.get(agenda=world.agenda)
    download = browser.request(
        "GET", "B", reverse("agendas:attachment_download", args=[world.agenda.pk, attachment.pk])
    )
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert download.headers["X-Checksum-SHA256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert cluster.moto.keys(cluster.bucket).count(attachment.file.name) == 1
    # Someone from another alliance is refused on either instance.
    other = Browser(cluster)
    other.login("B", world.other_coordinator)
    url = reverse("agendas:attachment_download", args=[world.agenda.pk, attachment.pk])
    assert other.request("GET", "A", url).status_code == 404
    assert not cluster.media.exists() or not any(cluster.media.rglob("*"))  # nothing on local disk


def _scenario_dossier_requested_on_b_rendered_by_a_worker_served_by_a(cluster):
    from accounts import roles
    from agendas.models import Agenda
    from reports.models import GeneratedDocument
    from tests.factories import UserFactory
    from tests.factories_reports import build_agenda, make_decision

    agenda = build_agenda(status=Agenda.Status.APPROVED, title="Kansen voor de Kop")
    make_decision(agenda, amounts={2027: Decimal("1000.00")})
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    browser = Browser(cluster)
    browser.login("B", officer)
    response = browser.request(
        "POST",
        "B",
        reverse("reports:agenda_documents", args=[agenda.pk]),
        data={"kind": GeneratedDocument.Kind.DOSSIER},
    )
    assert response.status_code == 302, response.text[:1000]
    document = GeneratedDocument.objects.get(agenda=agenda)

    def ready():
        document.refresh_from_db()
        return document.status != GeneratedDocument.Status.PENDING

    assert _wait_for(ready, timeout=120), cluster.logs()
    assert document.status == GeneratedDocument.Status.READY, document.error_message
    served = browser.request("GET", "A", reverse("reports:document_download", args=[document.pk]))
    assert served.status_code == 200 and served.content.startswith(b"%PDF")
    assert hashlib.sha256(served.content).hexdigest() == document.sha256
    assert document.attempts == 1  # rendered once
    FIGURES["duplicates"] += GeneratedDocument.objects.filter(agenda=agenda).count() - 1


def _scenario_two_signatories_through_a_and_b_at_once_exactly_one_wins(cluster):
    import requests
    from rest_framework.authtoken.models import Token

    from agendas.models import Decision

    world = build_world()
    advance(world, "prepared", outcome="return")
    nota = Decision.objects.get(agenda=world.agenda, signed_at__isnull=True)
    url = reverse("api-agenda-decision-sign", args=[world.agenda.pk])
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def sign(instance, user):
        token = Token.objects.create(user=user).key
        barrier.wait()
        FIGURES["requests"][instance] += 1
        answers[instance] = requests.post(
            cluster.url(instance, url),
            json={"lock_version": nota.lock_version},
            headers={"Authorization": f"Token {token}"},
            timeout=60,
        ).status_code

    threads = [
        threading.Thread(target=sign, args=("A", world.signatory)),
        threading.Thread(target=sign, args=("B", world.signatory2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers.values()) == [200, 409], answers
    FIGURES["winners"] += 1
    FIGURES["conflicts"] += list(answers.values()).count(409)
    nota.refresh_from_db()
    assert nota.signed_at is not None
    assert Decision.objects.filter(agenda=world.agenda, signed_at__isnull=False).count() == 1
    assert world.refresh().status == "returned"


def _scenario_beat_job_run_on_both_workers_at_once_executes_once(cluster):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import OutboxMessage
    from accounts.tasks import sweep_outbox

    for path in cluster.mail.iterdir():
        path.unlink()
    messages = [
        OutboxMessage.objects.create(recipient=f"r{i}@example.nl", subject=f"Bericht {i}", body="Tekst", kind="test")
        for i in range(20)
    ]
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    for name in ("w1", "w2"):  # the job fired on both workers at the same moment
        sweep_outbox.apply_async(queue=f"{cluster.queue}-{name}")
    assert _wait_for(
        lambda: not OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], delivered_at__isnull=True).exists()
    ), cluster.logs()

    def runs(name):
        log = (cluster.tmp / f"worker-{name}.log").read_text()
        return [int(n) for n in re.findall(r"sweep_outbox\[[^]]+\] succeeded in [^:]+: \{'sent': (\d+)", log)]

    assert _wait_for(lambda: runs("w1") and runs("w2"), timeout=60), cluster.logs()  # both really ran it
    sent = [sum(runs("w1")), sum(runs("w2"))]
    assert sum(sent) == len(messages)  # the two runs shared the work; none sent twice
    # the file backend may write several messages into one file: count every message's To: line, and only this
    # scenario's messages (mail queued by the earlier steps may be delivered by the same sweep)
    recipients = Counter(
        to
        for p in cluster.mail.iterdir()
        for to in re.findall(r"^To: (.+)$", p.read_text(), flags=re.M)
        if re.fullmatch(r"r\d+@example\.nl", to)
    )
    assert recipients == Counter({m.recipient: 1 for m in messages})
    FIGURES["duplicates"] += sum(count - 1 for count in recipients.values())
    assert set(OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).values_list("attempts", flat=True)) == {1}
    FIGURES["sweep_sent_per_worker"] = sent


def test_two_instances_behave_as_one(cluster):
    """One run of all scenarios against one cluster: the instances start once, on the data as it is then
    (a flush between tests would give the running processes stale content-type ids, a test artefact)."""
    _scenario_log_in_on_a_continue_on_b_and_log_out_on_b(cluster)
    _scenario_upload_on_a_download_on_b(cluster)
    _scenario_dossier_requested_on_b_rendered_by_a_worker_served_by_a(cluster)
    _scenario_two_signatories_through_a_and_b_at_once_exactly_one_wins(cluster)
    _scenario_beat_job_run_on_both_workers_at_once_executes_once(cluster)
    assert FIGURES["requests"]["A"] > 0 and FIGURES["requests"]["B"] > 0
    assert FIGURES["duplicates"] == 0 and FIGURES["winners"] == 1
