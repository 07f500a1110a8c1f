"""The Kubernetes manifests (deploy/k8s), rendered by `kubectl kustomize` as CI does: probes on every
long-running container, non-root and read-only everywhere, exactly one beat, and every environment variable
the settings read (kansenagenda.envvars, derived from the settings' code) provided by ConfigMap or Secret."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kansenagenda.envvars import names

ROOT = Path(__file__).resolve().parent.parent
OVERLAYS = {"base": ROOT / "deploy/k8s/base", "production": ROOT / "deploy/k8s/overlays/production"}
KUBECTL = os.environ.get("KUBECTL", shutil.which("kubectl") or "/usr/bin/kubectl")
LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet"}
# Read by scripts/entrypoint (process sizes), not by the settings: allowed in the ConfigMap.
ENTRYPOINT_VARS = {"WEB_CONCURRENCY", "CELERY_CONCURRENCY"}


def _render(path: Path) -> list[dict]:
    if not os.path.exists(KUBECTL):
        pytest.skip("kubectl not installed (.ci/run installs it)")
    out = subprocess.run([KUBECTL, "kustomize", str(path)], check=True, capture_output=True, text=True).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.fixture(scope="module", params=sorted(OVERLAYS))
def rendered(request):
    return request.param, _render(OVERLAYS[request.param])


def _of(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def _pod_specs(docs):
    for doc in docs:
        if doc["kind"] in LONG_RUNNING | {"Job"}:
            yield doc, doc["spec"]["template"]["spec"]


def _named(docs, kind, name):
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def test_everything_the_issue_lists_is_there(rendered):
    _, docs = rendered
    kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for expected in [
        ("Deployment", "kansenagenda-web"),
        ("Deployment", "kansenagenda-worker"),
        ("Deployment", "kansenagenda-beat"),
        ("Job", "kansenagenda-migrate"),
        ("Service", "kansenagenda-web"),
        ("Ingress", "kansenagenda"),
        ("ConfigMap", "kansenagenda-config"),
        ("Secret", "kansenagenda-secrets"),
        ("HorizontalPodAutoscaler", "kansenagenda-web"),
        ("HorizontalPodAutoscaler", "kansenagenda-worker"),
        ("PodDisruptionBudget", "kansenagenda-web"),
    ]:
        assert expected in kinds, expected
    targets = {h["spec"]["scaleTargetRef"]["name"] for h in _of(docs, "HorizontalPodAutoscaler")}
    assert targets == {"kansenagenda-web", "kansenagenda-worker"}  # never beat


def test_probes_on_every_long_running_container(rendered):
    _, docs = rendered
    for doc, spec in _pod_specs(docs):
        for container in spec["containers"]:
            where = f"{doc['metadata']['name']}/{container['name']}"
            if doc["kind"] == "Job":
                assert doc["spec"]["activeDeadlineSeconds"] > 0, where  # bounded instead of probed
                continue
            assert "livenessProbe" in container and "readinessProbe" in container, where
    web = _named(docs, "Deployment", "kansenagenda-web")["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert web["readinessProbe"]["httpGet"]["path"] == "/health/ready"


def test_probe_host_is_an_allowed_host(rendered):
    _, docs = rendered
    allowed = _named(docs, "ConfigMap", "kansenagenda-config")["data"]["ALLOWED_HOSTS"].split(",")
    web = _named(docs, "Deployment", "kansenagenda-web")["spec"]["template"]["spec"]["containers"][0]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        headers = {h["name"]: h["value"] for h in web[probe]["httpGet"]["httpHeaders"]}
        assert headers["Host"] in allowed and headers["X-Forwarded-Proto"] == "https", probe


def test_non_root_read_only_everywhere(rendered):
    _, docs = rendered
    for doc, spec in _pod_specs(docs):
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] != 0
        assert spec.get("automountServiceAccountToken") is False
        tmp_volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in spec["containers"]:
            sc = container["securityContext"]
            where = f"{doc['metadata']['name']}/{container['name']}"
            assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False, where
            assert sc["capabilities"]["drop"] == ["ALL"] and sc.get("runAsUser", 1) != 0, where
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts.get("/tmp") in tmp_volumes, where  # writable tmp
            assert container["resources"]["requests"] and container["resources"]["limits"], where


def test_exactly_one_beat(rendered):
    _, docs = rendered
    beats = [
        d for d in _of(docs, "Deployment") if d["spec"]["template"]["spec"]["containers"][0].get("args") == ["beat"]
    ]
    assert len(beats) == 1
    assert beats[0]["spec"]["replicas"] == 1 and beats[0]["spec"]["strategy"]["type"] == "Recreate"


def test_one_image_roles_by_command(rendered):
    _, docs = rendered
    images, roles = set(), {}
    for doc, spec in _pod_specs(docs):
        for container in spec["containers"]:
            images.add(container["image"])
            roles[doc["metadata"]["name"]] = container["args"]
    assert len(images) == 1
    assert roles == {
        "kansenagenda-web": ["web"],
        "kansenagenda-worker": ["worker"],
        "kansenagenda-beat": ["beat"],
        "kansenagenda-migrate": ["migrate"],
    }


def test_every_settings_variable_comes_from_configmap_or_secret(rendered):
    _, docs = rendered
    config = _named(docs, "ConfigMap", "kansenagenda-config")["data"]
    secret = _named(docs, "Secret", "kansenagenda-secrets").get("stringData", {})
    provided = set(config) | set(secret)
    assert names() - provided == set()
    assert set(config) & set(secret) == set()  # one source per variable
    assert provided - names() - ENTRYPOINT_VARS == set()  # nothing the app does not read
    for _doc, spec in _pod_specs(docs):
        for container in spec["containers"]:
            refs = {next(iter(ref.values()))["name"] for ref in container["envFrom"]}
            assert refs == {"kansenagenda-config", "kansenagenda-secrets"}
    assert {"SECRET_KEY", "DATABASE_URL", "S3_SECRET_ACCESS_KEY"} <= set(secret)


def test_production_configuration_passes_the_deploy_check(tmp_path):
    """The production overlay's ConfigMap, with the Secret filled, configures Django: check --deploy passes."""
    docs = _render(OVERLAYS["production"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_", "STORAGE_"))}
    env.update(_named(docs, "ConfigMap", "kansenagenda-config")["data"])
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(60),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "S3_ACCESS_KEY_ID": "x",
            "S3_SECRET_ACCESS_KEY": "y",
            "EMAIL_HOST_PASSWORD": "z",
            "OIDC_RP_CLIENT_SECRET": "",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
