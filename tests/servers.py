"""Local servers for tests: a free port in this project's test range, and moto's S3 server (a real
S3-compatible HTTP endpoint, started in-process in a thread)."""

from __future__ import annotations

import os
import socket
import time
import uuid

PORTS = range(int(os.environ.get("KA_TEST_PORT_FIRST", "8110")), int(os.environ.get("KA_TEST_PORT_LAST", "8119")) + 1)
S3_ACCESS_KEY = "testing"
S3_SECRET_KEY = "testing"
S3_REGION = "eu-west-1"


def free_port() -> int:
    """A port of the range that nothing listens on (xdist workers each start on a different offset)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    ports = list(PORTS)
    ports = ports[offset * 3 % len(ports) :] + ports[: offset * 3 % len(ports)]
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {timeout}s")


class MotoS3:
    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        wait_for_port(self.port)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=S3_REGION,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
        )

    def new_bucket(self) -> str:
        name = f"ka-test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
        return name

    def storage_setting(self, bucket: str, endpoint: str | None = None) -> dict:
        from kansenagenda.storage_settings import s3_storage

        return s3_storage(
            bucket=bucket,
            endpoint_url=endpoint or self.endpoint,
            region=S3_REGION,
            access_key=S3_ACCESS_KEY,
            secret_key=S3_SECRET_KEY,
        )

    def env(self, bucket: str) -> dict:
        """The environment that points an app process at this bucket."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": S3_REGION,
            "S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        }

    def keys(self, bucket: str) -> list[str]:
        found = self.client().list_objects_v2(Bucket=bucket).get("Contents", [])
        return sorted(item["Key"] for item in found)

    def stop(self):
        self.server.stop()


def wait_for(predicate, timeout: float = 45) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` seconds passed (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False
