"""Attachments of an agenda: upload (type checked by content), checksum, virus-scan hook, removal.

Accepted: PDF, DOCX, XLSX, ODT, ODS; at most 20 MB each. The type is decided by the file's content
(``filetype`` for the magic number, then an inspection of the ZIP container for the office formats),
never by its name; a name whose extension does not match the content is refused.

Virus scanning
--------------
``scan_attachment(attachment)`` is called for every upload after the file is stored, inside the same
transaction. By default it does nothing (status stays "not scanned"). To plug in a scanner (e.g. ClamAV
through ``clamd``), set ``ATTACHMENT_SCANNER = "package.module.function"`` in the settings: the function
receives the saved ``Attachment`` (``attachment.file`` is readable) and returns ``"clean"`` or
``"infected"`` (``Attachment.ScanStatus``), or ``None`` when it could not decide. An infected file is
refused: the upload is rolled back and the stored file removed. Downloads of an infected file are refused.
A scanner that raises ``agendas.scanning.ScannerUnavailable`` (or ``OSError``) refuses the upload (fail
closed) and the failure is logged. ``agendas.scanning.clamd_scan`` is the ClamAV adapter (clamd INSTREAM).

Macros
------
Office files with macros are refused: OOXML with a ``vbaProject.bin`` part, and OpenDocument files (ODT, ODS,
ODP, …) with a ``Basic/`` or ``Scripts/`` folder, manifest entries of a Basic or script media type, or
script event listeners / ``office:scripts`` in ``content.xml`` or ``styles.xml`` (see ``_odf_has_macros``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.accesslog.services import purpose_for
from accounts.models import User
from agendas.drafting.services import lock_agenda_for_drafting
from agendas.models import Agenda, Attachment
from agendas.permissions import agenda_policy
from kansenagenda.files import protected_file_response

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_SIZE = 20 * 1024 * 1024
MAX_UNCOMPRESSED_SIZE = 500 * 1024 * 1024  # zip-bomb guard for the office formats

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ALLOWED_TYPES = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", ODT: "odt", ODS: "ods"}

logger = logging.getLogger(__name__)

# OpenDocument macros: StarBasic libraries live in Basic/, other script languages in Scripts/; the manifest
# lists them with these media types; documents call them from event listeners by a script URL.
ODF_MACRO_FOLDERS = ("basic/", "scripts/")
ODF_MACRO_MANIFEST = re.compile(
    rb'media-type="[^"]*(vnd\.sun\.xml\.basic|vnd\.sun\.star\.(basic|script)|javascript|beanshell|x-python)[^"]*"',
    re.IGNORECASE,
)
ODF_MACRO_CONTENT = re.compile(
    rb"<script:event-listener|<office:event-listeners[^>]*>\s*<script:|vnd\.sun\.star\.script:|"
    rb"macro:///|<office:script[\s>]",
    re.IGNORECASE,
)
ODF_SCANNED_PARTS = ("content.xml", "styles.xml", "META-INF/manifest.xml")


def _odf_has_macros(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """True when an OpenDocument container holds or calls macros (see the module docstring)."""
    if any(name.lower().startswith(ODF_MACRO_FOLDERS) for name in names):
        return True
    for part in ODF_SCANNED_PARTS:
        if part not in names:
            continue
        pattern = ODF_MACRO_MANIFEST if part.endswith("manifest.xml") else ODF_MACRO_CONTENT
        tail = b""
        with archive.open(part) as handle:
            while block := handle.read(1024 * 1024):
                if pattern.search(tail + block):
                    return True
                tail = block[-200:]  # a match may straddle two blocks
    return False


def _zip_type(uploaded: UploadedFile) -> str | None:
    """Look inside the ZIP container: OOXML has [Content_Types].xml and a main part; ODF a mimetype entry."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_SIZE:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return "macro"
            if "mimetype" in names:
                if _odf_has_macros(archive, names):
                    return "macro"
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return None


def detect_content_type(uploaded: UploadedFile) -> str | None:
    """The real type of the upload by its content, or None when it is not an accepted type."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime == PDF and head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(uploaded)
    return None


def _sha256(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def scan_attachment(attachment: Attachment) -> str | None:
    """Virus-scan hook (see the module docstring). No-op unless ``settings.ATTACHMENT_SCANNER`` is set."""
    path = getattr(settings, "ATTACHMENT_SCANNER", "")
    if not path:
        return None
    from agendas.scanning import ScannerUnavailable

    scanner = import_string(path)
    try:
        return scanner(attachment)
    except (ScannerUnavailable, OSError) as exc:
        # Fail closed: no verdict, no file. Logged for the administrators (no file content in the line).
        logger.error(
            "attachment_scanner_unavailable",
            extra={"attachment": attachment.original_name[:100], "agenda_id": attachment.agenda_id, "error": str(exc)},
        )
        raise ValidationError(
            {
                "file": _(
                    "De virusscanner is nu niet bereikbaar, daarom is ‘%(name)s’ niet opgeslagen. "
                    "Probeer het over enkele minuten opnieuw; blijft dit gebeuren, neem dan contact op met de beheerder."
                )
                % {"name": attachment.original_name}
            }
        ) from exc


@transaction.atomic
def attachment_add(*, agenda: Agenda, actor: User, uploaded_file: UploadedFile, description: str = "") -> Attachment:
    agenda = lock_agenda_for_drafting(agenda, actor, agenda_policy.ATTACH)
    if uploaded_file is None:
        raise ValidationError({"file": _("Kies een bestand om te uploaden.")})
    name = (uploaded_file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    if uploaded_file.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            {
                "file": _("‘%(name)s’ is %(size)s MB; het maximum is 20 MB. Verklein het bestand of splits het op.")
                % {"name": name, "size": round(uploaded_file.size / (1024 * 1024), 1)}
            }
        )
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("‘%(name)s’ is leeg; kies een ander bestand.") % {"name": name}})
    if len(description or "") > 300:
        raise ValidationError({"description": _("De omschrijving is te lang; gebruik maximaal 300 tekens.")})
    content_type = detect_content_type(uploaded_file)
    if content_type == "macro":
        raise ValidationError(
            {
                "file": _("‘%(name)s’ bevat macro's; sla het op zonder macro's (.docx, .xlsx, .odt of .ods).")
                % {"name": name}
            }
        )
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "‘%(name)s’ is geen PDF-, Word- (DOCX), Excel- (XLSX) of OpenDocument-bestand (ODT, ODS). "
                    "Het type wordt aan de inhoud herkend, niet aan de naam; sla het bestand op in een van deze formaten."
                )
                % {"name": name}
            }
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension != ALLOWED_TYPES[content_type]:
        raise ValidationError(
            {
                "file": _(
                    "De naam ‘%(name)s’ past niet bij de inhoud (%(real)s). Geef het bestand de extensie .%(real)s."
                )
                % {"name": name, "real": ALLOWED_TYPES[content_type]}
            }
        )
    checksum = _sha256(uploaded_file)
    duplicate = agenda.attachments.filter(sha256=checksum).first()
    if duplicate is not None:
        raise ValidationError(
            {"file": _("Dit bestand is al bijgevoegd als ‘%(name)s’.") % {"name": duplicate.original_name}}
        )
    attachment = Attachment(
        agenda=agenda,
        original_name=name,
        description=(description or "").strip(),
        content_type=content_type,
        size=uploaded_file.size,
        sha256=checksum,
        uploaded_by=actor,
    )
    attachment._history_user = actor
    try:
        # All or nothing (kansenagenda.files.AtomicFileSystemStorage): a full disk leaves no partial file.
        attachment.file.save(name, uploaded_file, save=False)
    except OSError as exc:
        logger.error("Storing attachment %r for agenda %s failed: %r", name, agenda.pk, exc)
        raise ValidationError(
            {
                "file": _(
                    "‘%(name)s’ kon niet worden opgeslagen: de opslag is vol of niet bereikbaar. Er is niets "
                    "bewaard. Probeer het later opnieuw of meld het de functioneel beheerder."
                )
                % {"name": name}
            }
        )
    stored_name = attachment.file.name
    try:
        attachment.save()
        status = scan_attachment(attachment)
        if status == Attachment.ScanStatus.INFECTED:
            raise ValidationError(
                {"file": _("‘%(name)s’ bevat mogelijk een virus en is niet opgeslagen.") % {"name": name}}
            )
        if status:
            attachment.scan_status = status
            attachment.save(update_fields=["scan_status"])
    except Exception:
        attachment.file.storage.delete(stored_name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    lock_agenda_for_drafting(attachment.agenda_id, actor, agenda_policy.ATTACH)
    stored_name = attachment.file.name
    storage = attachment.file.storage
    attachment._history_user = actor
    attachment.delete()
    # Remove the file only when the deletion is committed.
    transaction.on_commit(lambda: storage.delete(stored_name))


def attachment_download(request, attachment: Attachment):
    """THE download of an attachment, for the page and the API (the caller has checked that the user may see the
    agenda): an infected file is refused, anything else streams through ``protected_file_response`` (checksum
    verified, access logged)."""
    if attachment.scan_status == Attachment.ScanStatus.INFECTED:
        raise PermissionDenied(_("Deze bijlage is bij de virusscan afgekeurd en kan niet worden gedownload."))
    return protected_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        sha256=attachment.sha256,
        request=request,
        obj=attachment,
        purpose=purpose_for(request.user),
    )
