"""The container as far as it can be tested without building it (no registry is reachable here): the
Dockerfile's stated packages against what the set-up script checks for, its shape (multi-stage, non-root,
collectstatic at build, the entrypoint), the compose file, and each entrypoint role run outside a container."""

import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from kansenagenda.envvars import names
from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENTRYPOINT = ROOT / "scripts/entrypoint"


def _stages() -> dict[str, str]:
    parts = re.split(r"^FROM\s+", DOCKERFILE, flags=re.M)[1:]
    return {part.split("\n", 1)[0].split(" AS ")[-1].strip(): part for part in parts}


def _apt_packages(text: str) -> set[str]:
    packages = set()
    joined = text.replace("\\\n", " ")  # continuation lines
    for command in re.findall(r"apt-get install ([^&\n]+)", joined):
        packages |= {word for word in shlex.split(command) if not word.startswith("-")}
    return packages


def _setup_script_libraries() -> dict[str, str]:
    text = (ROOT / "scripts/_env.sh").read_text()
    pairs = re.search(r'^WEASYPRINT_LIBRARIES="([^"]+)"', text, flags=re.M).group(1).split()
    return dict(pair.split("=", 1) for pair in pairs)


def test_runtime_stage_installs_what_the_setup_script_checks_for():
    libraries = _setup_script_libraries()
    assert "pango-1.0" in libraries  # the set-up script still checks WeasyPrint's libraries
    runtime = _apt_packages(_stages()["runtime"])
    assert set(libraries.values()) <= runtime, set(libraries.values()) - runtime
    assert any(package.startswith("fonts-") for package in runtime)  # WeasyPrint needs at least one font
    assert "build-essential" not in runtime  # compilers stay in the build stage


def test_dockerfile_shape():
    stages = _stages()
    assert list(stages) == ["build", "runtime"]
    runtime = stages["runtime"]
    user = re.search(r"^USER\s+(\S+)", runtime, flags=re.M).group(1)
    assert user.split(":")[0] not in {"0", "root"}
    assert "collectstatic --noinput" in runtime
    assert 'ENTRYPOINT ["/app/scripts/entrypoint"]' in runtime and 'CMD ["web"]' in runtime
    assert "COPY --from=build /opt/venv /opt/venv" in runtime
    assert "requirements.txt" in stages["build"] and "requirements-dev" not in DOCKERFILE
    python = re.search(r"ARG PYTHON_VERSION=(\S+)", DOCKERFILE).group(1)
    assert tuple(map(int, python.split("."))) >= (3, 11)


def test_dockerignore_keeps_local_state_out():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "var"} <= ignored


def test_compose_runs_every_role_from_one_image():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    app = {name: s for name, s in services.items() if s.get("image") == "kansenagenda:latest"}
    assert {name: s["command"] for name, s in app.items()} == {
        "migrate": ["migrate"],
        "web": ["web"],
        "worker": ["worker"],
        "beat": ["beat"],
    }
    assert {"db", "redis", "s3"} <= set(services)
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["read_only"] is True and services[name]["tmpfs"] == ["/tmp"]
        assert "replicas" not in str(services["beat"].get("deploy", ""))
    unknown = set(services["web"]["environment"]) - names()
    assert unknown == set(), unknown  # compose only sets what the settings read
    assert services["web"]["environment"]["STORAGE_BACKEND"] == "s3"


# --- the entrypoint, outside a container --------------------------------------------------------
@pytest.fixture
def role_env(tmp_path):
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "TMPDIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kansenagenda.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
        "LOG_LEVEL": "WARNING",
    }


def _run(role_env, *args, timeout=180):
    return subprocess.run(
        [str(ENTRYPOINT), *args], env=role_env, cwd="/", capture_output=True, text=True, timeout=timeout
    )


def _start(role_env, *args, log):
    return subprocess.Popen(
        [str(ENTRYPOINT), *args], env=role_env, cwd="/", stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_for_text(path: Path, text: str, proc, timeout=60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text(errors="replace") if path.exists() else ""
        if text in content:
            return content
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    raise AssertionError(f"{text!r} not seen; exit={proc.poll()}; output:\n{content[-3000:]}")


def test_migrate_role_migrates_and_stops_then_web_serves_the_probes(role_env, tmp_path):
    result = _run(role_env, "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    import sqlite3

    tables = {row[0] for row in sqlite3.connect(tmp_path / "db.sqlite3").execute("SELECT name FROM sqlite_master")}
    assert {"django_migrations", "accounts_user", "reports_generateddocument"} <= tables
    again = _run(role_env, "migrate")  # idempotent: a second release's Job finds nothing to do
    assert again.returncode == 0 and "No migrations to apply" in again.stdout
    # The web role on the migrated database: gunicorn answers both probes.
    port = free_port()
    role_env["PORT"] = str(port)
    log_path = tmp_path / "web.log"
    with log_path.open("w") as log:
        proc = _start(role_env, "web", log=log)
        try:
            wait_for_port(port, timeout=60)
            headers = {"Host": "localhost", "X-Forwarded-Proto": "https"}
            for path in ("/health/live", "/health/ready"):
                with urllib.request.urlopen(
                    urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers), timeout=10
                ) as response:
                    assert response.status == 200, path
        finally:
            _stop(proc)
    assert proc.returncode in (0, -signal.SIGTERM), log_path.read_text()[-2000:]


def test_worker_role_starts_a_celery_worker(role_env, tmp_path):
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        proc = _start(role_env, "worker", "--pool", "solo", "-l", "INFO", log=log)
        try:
            output = _wait_for_text(log_path, "ready.", proc, timeout=90)
        finally:
            _stop(proc)
    assert "celery@" in output and "ready." in output


def test_beat_role_keeps_its_schedule_in_tmp(role_env, tmp_path):
    log_path = tmp_path / "beat.log"
    with log_path.open("w") as log:
        proc = _start(role_env, "beat", "-l", "INFO", log=log)
        try:
            _wait_for_text(log_path, "beat: Starting", proc, timeout=90)
            deadline = time.monotonic() + 30
            while not list(tmp_path.glob("celerybeat-schedule*")) and time.monotonic() < deadline:
                time.sleep(0.3)
        finally:
            _stop(proc)
    assert list(tmp_path.glob("celerybeat-schedule*"))  # in TMPDIR: the root filesystem stays read-only


def test_check_role_and_other_commands(role_env):
    role_env["SECURE_SSL_REDIRECT"] = "true"
    assert _run(role_env, "check").returncode == 0
    result = _run(role_env, "python", "-c", "print('other command')")
    assert result.returncode == 0 and result.stdout.strip() == "other command"
