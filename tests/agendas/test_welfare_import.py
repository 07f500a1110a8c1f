"""The Monitor Brede Welvaart import: a good file, each kind of bad row, re-import replacing a year (history kept),
and every door (service, management command, upload page + Celery task + progress endpoint) with who may and
may NOT use it."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import roles
from agendas.welfare import services
from agendas.welfare.demo import DEMO_FILE
from agendas.welfare.models import MonitorArea, MonitorImport, MonitorValue
from agendas.welfare.tasks import run_monitor_import
from tests.factories import UserFactory

EDGE_CASES = Path(__file__).parent / "monitor_files" / "edge_cases.csv"
HEADER = "gebied;indicator;thema;jaar;waarde\n"


def run(text: str, actor=None) -> MonitorImport:
    record = services.monitor_import_create(data=text.encode(), filename="test.csv", actor=actor)
    return services.monitor_import_run(import_id=record.pk)


def value(code: str, indicator: str, year: int) -> Decimal:
    return MonitorValue.objects.get(area__code=code, indicator__code=indicator, year=year).value


@pytest.fixture
def admin_user(db):
    return UserFactory(role=roles.ADMINISTRATOR)


def test_good_file_is_imported(db):
    record = run(
        HEADER + "CR01;ervaren-gezondheid;gezondheid;2022;73,4\n"
        "CR01;ervaren-gezondheid;gezondheid;2023JJ00;72,9\n"
        "NL01;ervaren-gezondheid;Gezondheid;2023;76\n"
        "PV20;ervaren-gezondheid;gezondheid;2023;.\n"
    )
    assert record.status == MonitorImport.Status.DONE, record.errors
    assert (record.created_count, record.skipped_count, record.years) == (3, 1, [2022, 2023])
    assert value("CR01", "ervaren-gezondheid", 2023) == Decimal("72.9")
    assert value("NL01", "ervaren-gezondheid", 2023) == Decimal("76")


def test_comma_separated_file_reads_decimal_points(db):
    record = run("gebied,indicator,thema,jaar,waarde\nCR05,fijnstof,milieu,2023,7.25\n")
    assert record.status == MonitorImport.Status.DONE, record.errors
    assert value("CR05", "fijnstof", 2023) == Decimal("7.25")


def test_edge_case_file_names_each_bad_row_and_writes_nothing(db):
    record = services.monitor_import_run(
        import_id=services.monitor_import_create(data=EDGE_CASES.read_bytes(), filename="edge.csv", actor=None).pk
    )
    assert record.status == MonitorImport.Status.FAILED
    errors = {e["row"]: e["message"] for e in record.errors}
    assert sorted(errors) == [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    assert "CR41" in errors[6] and "CR01–CR40" in errors[6]  # an unknown COROP area
    assert "XX99" in errors[7]  # a malformed area code
    assert "geluk-index" in errors[8]  # an unknown indicator
    assert "wonen" in errors[9] and "gezondheid" in errors[9]  # theme does not match the indicator
    assert "twintig" in errors[10]  # not a year
    assert "1890" in errors[11]  # a year out of range
    assert "zeventig" in errors[12]  # not a number
    assert "70,12345" in errors[13]  # too many decimals
    assert "rij 2" in errors[14]  # duplicate of row 2 (2023JJ00 is 2023)
    assert "Te weinig kolommen" in errors[15]
    # rows 2–5 were fine (lower case codes, names of themes, a new municipality, a "." value) but nothing is written
    assert not MonitorValue.objects.exists()
    assert not MonitorArea.objects.filter(code="GM0014").exists()


def test_edge_case_rows_that_are_fine_import_once_the_bad_rows_are_gone(db):
    good = "".join(EDGE_CASES.read_text(encoding="utf-8").splitlines(keepends=True)[:5])
    record = run(good)
    assert record.status == MonitorImport.Status.DONE, record.errors
    assert (record.created_count, record.skipped_count) == (3, 1)
    assert MonitorArea.objects.get(code="GM0014").name == "Groningen"
    assert value("CR02", "ervaren-gezondheid", 2023) == Decimal("74")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "leeg"),
        (b"gebied;jaar;waarde\nCR01;2023;5\n", "indicator, thema"),
        ("gebied;indicator;thema;jaar;waarde\nCR01;fijnstof;milieu;2023;5\n".encode("utf-16"), "UTF-8"),
        (HEADER.encode(), "geen waarden"),
    ],
)
def test_file_level_refusals(db, data, message):
    record = services.monitor_import_run(
        import_id=services.monitor_import_create(data=data, filename="x.csv", actor=None).pk
    )
    assert record.status == MonitorImport.Status.FAILED
    assert message in record.errors[0]["message"]


def test_reimporting_a_year_replaces_it_and_keeps_history(db, admin_user):
    run(
        HEADER + "CR01;fijnstof;milieu;2022;8\nCR01;fijnstof;milieu;2023;7\nCR02;fijnstof;milieu;2023;6\n",
        actor=admin_user,
    )
    second = run(HEADER + "CR01;fijnstof;milieu;2023;6,5\n", actor=admin_user)
    assert (second.created_count, second.updated_count, second.deleted_count) == (0, 1, 1)
    assert value("CR01", "fijnstof", 2023) == Decimal("6.5")
    assert value("CR01", "fijnstof", 2022) == Decimal("8")  # another year is untouched
    assert not MonitorValue.objects.filter(area__code="CR02", year=2023).exists()
    kept = MonitorValue.history.filter(area__code="CR01", year=2023).order_by("history_date")
    assert [(h.history_type, h.value) for h in kept] == [("+", Decimal("7")), ("~", Decimal("6.5"))]
    assert kept.last().history_user == admin_user
    assert MonitorValue.history.filter(area__code="CR02", year=2023, history_type="-").exists()
    # The same file again changes nothing.
    third = run(HEADER + "CR01;fijnstof;milieu;2023;6,5\n", actor=admin_user)
    assert (third.created_count, third.updated_count, third.deleted_count) == (0, 0, 0)


def test_running_an_import_twice_is_safe(db):
    record = run(HEADER + "CR01;fijnstof;milieu;2023;7\n")
    again = services.monitor_import_run(import_id=record.pk)
    assert again.status == MonitorImport.Status.DONE and MonitorValue.objects.count() == 1


def test_demo_file_is_labelled_fictitious_and_imports(db):
    text = DEMO_FILE.read_text(encoding="utf-8")
    assert "FICTIEF" in DEMO_FILE.name
    assert all("fictieve waarden, geen CBS-data" in line for line in text.splitlines()[1:])
    record = run(text)
    assert record.status == MonitorImport.Status.DONE, record.errors[:3]
    assert MonitorValue.objects.filter(area__kind="CR").values("area").distinct().count() == 40


# --- doors ---------------------------------------------------------------------------------------------------
def test_management_command_imports_and_refuses(db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "CR01;fijnstof;milieu;2023;7\n", encoding="utf-8")
    out = StringIO()
    call_command("import_monitor", str(good), stdout=out)
    assert "1 nieuw" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "CR99;fijnstof;milieu;2023;8\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 foute"):
        call_command("import_monitor", str(bad), stderr=err)
    assert "rij 2" in err.getvalue() and "CR99" in err.getvalue()
    assert value("CR01", "fijnstof", 2023) == Decimal("7")
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("import_monitor", str(tmp_path / "missing.csv"))


def test_upload_page_runs_the_import_in_celery_with_progress(
    client, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = reverse("agendas:monitor-import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("monitor.csv", (HEADER + "CR01;fijnstof;milieu;2023;7\n").encode(), "text/csv")
    queued = []
    real_delay = run_monitor_import.delay
    monkeypatch.setattr(run_monitor_import, "delay", lambda *args: queued.append(args) or real_delay(*args))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload})
    record = MonitorImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("agendas:monitor-import-detail", args=[record.pk])
    assert queued == [(record.pk,)]  # queued after the commit, run by Celery (eager in tests)
    record.refresh_from_db()
    assert record.status == MonitorImport.Status.DONE and record.uploaded_by == admin_user
    status = client.get(response.url, headers={"HX-Request": "true"})
    assert b'<progress id="import-progress" max="100" value="100">' in status.content
    assert b"hx-trigger" not in status.content  # finished: no more polling


def test_pending_import_keeps_polling(client, admin_user):
    record = services.monitor_import_create(data=HEADER.encode(), filename="x.csv", actor=admin_user)
    client.force_login(admin_user)
    page = client.get(reverse("agendas:monitor-import-detail", args=[record.pk]))
    assert b'hx-trigger="every 1s"' in page.content and b'value="0"' in page.content


def test_upload_page_refuses_a_non_csv(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("agendas:monitor-import"), {"file": SimpleUploadedFile("x.xlsx", b"abc", "application/octet-stream")}
    )
    assert response.status_code == 200 and "CSV-bestand (.csv)" in response.content.decode()
    assert not MonitorImport.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        roles.COORDINATOR,
        roles.PARTNER,
        roles.REVIEWER,
        roles.STATE_REPRESENTATIVE,
        roles.MINISTRY_OFFICER,
        roles.MINISTRY_SIGNATORY,
    ],
)
def test_only_administrators_may_import(client, db, role):
    user = UserFactory(role=role)
    record = services.monitor_import_create(data=HEADER.encode(), filename="x.csv", actor=None)
    client.force_login(user)
    assert client.get(reverse("agendas:monitor-import")).status_code == 403
    upload = SimpleUploadedFile("m.csv", (HEADER + "CR01;fijnstof;milieu;2023;7\n").encode(), "text/csv")
    assert client.post(reverse("agendas:monitor-import"), {"file": upload}).status_code == 403
    assert client.get(reverse("agendas:monitor-import-detail", args=[record.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.monitor_import_create(data=HEADER.encode(), filename="x.csv", actor=user)
    assert MonitorImport.objects.count() == 1


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("agendas:monitor-import"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
