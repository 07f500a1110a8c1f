"""ClamAV adapter for ``ATTACHMENT_SCANNER``: the file is streamed to clamd with its INSTREAM command.

Configure with ``ATTACHMENT_SCANNER = "agendas.scanning.clamd_scan"`` and either ``CLAMD_SOCKET`` (path of
clamd's Unix socket, e.g. ``/run/clamav/clamd.ctl``) or ``CLAMD_HOST`` + ``CLAMD_PORT`` (TCP, default 3310).
``CLAMD_TIMEOUT`` (seconds, default 30) bounds every socket operation.

Protocol (clamd(8)): send ``zINSTREAM\\0``, then the file as chunks, each prefixed by its length as a 4-byte
big-endian integer, and a zero-length chunk to end; clamd answers one NUL-terminated line:
``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR``.

Fail closed: when clamd cannot be reached or cannot decide, ``ScannerUnavailable`` is raised and the upload
service refuses the file (nothing is stored without a verdict once a scanner is configured).
"""

from __future__ import annotations

import socket
import struct

from django.conf import settings

CHUNK_SIZE = 64 * 1024


class ScannerUnavailable(Exception):
    """The virus scanner could not be reached or gave no verdict."""


def _connect() -> socket.socket:
    timeout = float(getattr(settings, "CLAMD_TIMEOUT", 30))
    path = getattr(settings, "CLAMD_SOCKET", "")
    try:
        if path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(path)
            return sock
        host = getattr(settings, "CLAMD_HOST", "") or "127.0.0.1"
        port = int(getattr(settings, "CLAMD_PORT", 3310))
        return socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise ScannerUnavailable(f"clamd unreachable: {exc.__class__.__name__}") from exc


def instream(chunks) -> str:
    """Send the byte chunks to clamd with INSTREAM; return its answer line (without the NUL)."""
    sock = _connect()
    try:
        sock.sendall(b"zINSTREAM\0")
        for chunk in chunks:
            if chunk:
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            answer += data
            if len(answer) > 4096:
                break
    except OSError as exc:
        raise ScannerUnavailable(f"clamd failed: {exc.__class__.__name__}") from exc
    finally:
        sock.close()
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def verdict(answer: str) -> str:
    """``clean`` / ``infected`` from clamd's answer line; anything else is no verdict (fail closed)."""
    from agendas.models import Attachment

    if answer.endswith(" OK") or answer == "OK":
        return Attachment.ScanStatus.CLEAN
    if answer.endswith(" FOUND"):
        return Attachment.ScanStatus.INFECTED
    raise ScannerUnavailable(f"clamd gave no verdict: {answer[:200]!r}")


def clamd_scan(attachment) -> str:
    """The ``ATTACHMENT_SCANNER`` entry point: scan the stored file of ``attachment``."""

    def chunks():
        handle = attachment.file.open("rb")
        try:
            while True:
                block = handle.read(CHUNK_SIZE)
                if not block:
                    return
                yield block
        finally:
            handle.close()

    return verdict(instream(chunks()))
