"""Uploads: OpenDocument macros refused like OOXML's; the ClamAV adapter (clamd INSTREAM) OK / FOUND /
unreachable (fail closed), through the service, the page and the API."""

from __future__ import annotations

import io
import socket
import struct
import threading
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agendas import scanning
from agendas.drafting import attachments as svc
from agendas.models import Attachment
from tests.agendas.fixtures_drafting import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

ODP = "application/vnd.oasis.opendocument.presentation"
CLEAN_CONTENT = (
    '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
    "<office:scripts/><office:body><office:text>Plan voor de regio</office:text></office:body>"
    "</office:document-content>"
)
MANIFEST = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="Pictures/logo.eps" manifest:media-type="application/postscript"/>'
    "{extra}</manifest:manifest>"
)
STARBASIC = (
    '<script:module script:name="Module1" script:language="StarBasic">Sub Main\nShell("calc")\nEnd Sub</script:module>'
)


def odf(mimetype: str, *, parts: dict | None = None, manifest_extra: str = "", content: str = CLEAN_CONTENT) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", MANIFEST.format(mimetype=mimetype, extra=manifest_extra))
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


BASIC_LIBRARY = {"Basic/Standard/Module1.xml": STARBASIC, "Basic/script-lc.xml": "<library:libraries/>"}
MACRO_FILES = [
    ("odt-starbasic.odt", odf(svc.ODT, parts=BASIC_LIBRARY)),
    ("ods-starbasic.ods", odf(svc.ODS, parts=BASIC_LIBRARY)),
    ("odp-starbasic.odp", odf(ODP, parts=BASIC_LIBRARY)),
    ("python.ods", odf(svc.ODS, parts={"Scripts/python/evil.py": "import os"})),
    (
        "manifest-only.odt",
        odf(
            svc.ODT,
            manifest_extra='<manifest:file-entry manifest:full-path="Lib/Module1.xml" '
            'manifest:media-type="application/vnd.sun.xml.basic"/>',
        ),
    ),
    (
        "event-listener.odt",
        odf(
            svc.ODT,
            content=CLEAN_CONTENT.replace(
                "<office:scripts/>",
                '<office:scripts><office:event-listeners><script:event-listener script:language="ooo:script" '
                'script:event-name="office:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main?'
                'language=Basic&amp;location=document"/></office:event-listeners></office:scripts>',
            ),
        ),
    ),
    ("vba.docx", None),  # OOXML, as before
]


def _vba_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<xml/>")
        archive.writestr("word/vbaProject.bin", "x")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content", MACRO_FILES, ids=[m[0] for m in MACRO_FILES])
def test_office_files_with_macros_refused(agenda, coordinator, name, content):
    content = content if content is not None else _vba_docx()
    with pytest.raises(ValidationError) as excinfo:
        svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile(name, content))
    assert "bevat macro's" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name, mimetype", [("plan.odt", svc.ODT), ("begroting.ods", svc.ODS)])
def test_clean_opendocument_accepted(agenda, coordinator, name, mimetype):
    # <office:scripts/> (empty, written by every LibreOffice save) and an EPS picture are no macros
    content = odf(mimetype, parts={"Pictures/logo.eps": "%!PS"})
    attachment = svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile(name, content))
    assert attachment.content_type == mimetype


def test_macro_refused_through_page_and_api(client, agenda, coordinator):
    content = MACRO_FILES[0][1]
    client.force_login(coordinator)
    page = client.post(
        reverse("agendas:attachment_upload", args=[agenda.pk]), {"file": SimpleUploadedFile("plan.odt", content)}
    )
    assert page.status_code == 200 and "bevat macro" in page.content.decode()
    api = client.post(
        reverse("attachment-list"), {"agenda": agenda.pk, "file": SimpleUploadedFile("plan.odt", content)}
    )
    assert api.status_code == 400 and "macro" in str(api.json()["errors"]["file"])
    assert not Attachment.objects.exists()


# --- clamd ----------------------------------------------------------------------------------------------
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """A socket server speaking clamd's INSTREAM protocol: answers FOUND when the stream holds EICAR."""

    def __init__(self, family=socket.AF_INET, path=None):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind(path if path else ("127.0.0.1", 0))
        self.sock.listen(5)
        self.address = path or self.sock.getsockname()
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exact(self, conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    self.commands.append(self._read_exact(conn, len(b"zINSTREAM\0")))
                    stream = b""
                    while True:
                        (length,) = struct.unpack("!L", self._read_exact(conn, 4))
                        if length == 0:
                            break
                        stream += self._read_exact(conn, length)
                    self.received.append(stream)
                    answer = b"stream: Eicar-Signature FOUND\0" if EICAR in stream else b"stream: OK\0"
                    conn.sendall(answer)
                except ConnectionError:
                    pass

    def close(self):
        self.sock.close()


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.ATTACHMENT_SCANNER = "agendas.scanning.clamd_scan"
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST, settings.CLAMD_PORT = server.address
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.close()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def test_clamd_clean_file_is_stored_as_clean(agenda, coordinator, clamd):
    attachment = svc.attachment_add(
        agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("plan.pdf", PDF_BYTES)
    )
    assert attachment.scan_status == Attachment.ScanStatus.CLEAN
    assert clamd.commands == [b"zINSTREAM\0"] and clamd.received == [PDF_BYTES]  # the whole file, as stored


def test_clamd_found_refuses_and_removes_the_file(agenda, coordinator, clamd, settings):
    infected = PDF_BYTES + EICAR
    with pytest.raises(ValidationError) as excinfo:
        svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("plan.pdf", infected))
    assert "virus" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    stored = list((settings.MEDIA_ROOT).rglob("*.pdf")) if settings.MEDIA_ROOT.exists() else []
    assert stored == []


def test_clamd_large_file_is_streamed_in_chunks(agenda, coordinator, clamd):
    big = PDF_BYTES + b"0" * (3 * scanning.CHUNK_SIZE + 17)
    attachment = svc.attachment_add(agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("g.pdf", big))
    assert attachment.scan_status == Attachment.ScanStatus.CLEAN and clamd.received == [big]


def test_clamd_over_unix_socket(agenda, coordinator, settings, tmp_path):
    path = str(tmp_path / "clamd.ctl")
    server = FakeClamd(socket.AF_UNIX, path)
    try:
        settings.ATTACHMENT_SCANNER = "agendas.scanning.clamd_scan"
        settings.CLAMD_SOCKET = path
        attachment = svc.attachment_add(
            agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("plan.pdf", PDF_BYTES)
        )
        assert attachment.scan_status == Attachment.ScanStatus.CLEAN
    finally:
        server.close()


def _free_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def clamd_down(settings):
    settings.ATTACHMENT_SCANNER = "agendas.scanning.clamd_scan"
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", _free_port()  # nobody listens
    settings.CLAMD_TIMEOUT = 2


def test_clamd_unreachable_fails_closed_and_is_logged(agenda, coordinator, clamd_down, caplog, settings):
    with caplog.at_level("ERROR", logger="agendas.drafting.attachments"):
        with pytest.raises(ValidationError) as excinfo:
            svc.attachment_add(
                agenda=agenda, actor=coordinator, uploaded_file=SimpleUploadedFile("plan.pdf", PDF_BYTES)
            )
    assert "virusscanner is nu niet bereikbaar" in excinfo.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf")) if settings.MEDIA_ROOT.exists() else True
    assert any(r.getMessage() == "attachment_scanner_unavailable" for r in caplog.records)


def test_clamd_unreachable_page_and_api_answer_with_the_message(client, agenda, coordinator, clamd_down):
    client.force_login(coordinator)
    page = client.post(
        reverse("agendas:attachment_upload", args=[agenda.pk]), {"file": SimpleUploadedFile("plan.pdf", PDF_BYTES)}
    )
    assert page.status_code == 200 and "virusscanner is nu niet bereikbaar" in page.content.decode()
    api = client.post(
        reverse("attachment-list"), {"agenda": agenda.pk, "file": SimpleUploadedFile("plan.pdf", PDF_BYTES)}
    )
    assert api.status_code == 400 and "virusscanner" in str(api.json()["errors"]["file"])
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("stream: OK", "clean"),
        ("stream: Eicar-Signature FOUND", "infected"),
        ("stream: Win.Test.EICAR_HDB-1 FOUND", "infected"),
    ],
)
def test_verdict(answer, expected):
    assert scanning.verdict(answer) == expected


@pytest.mark.parametrize("answer", ["INSTREAM size limit exceeded. ERROR", "", "UNKNOWN COMMAND"])
def test_no_verdict_is_unavailable(answer):
    with pytest.raises(scanning.ScannerUnavailable):
        scanning.verdict(answer)
