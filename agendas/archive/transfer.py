"""The transfer package of a dossier marked "bewaren" (Archiefwet: overbrenging to the national archive):
a zip with the dossier's PDFs, its attachments and ``metadata.xml`` in MDTO terms (Metagegevens Duurzaam
Toegankelijke Overheidsinformatie, namespace https://www.nationaalarchief.nl/mdto): one
``informatieobject`` for the dossier and one ``bestand`` per file, with checksums.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from xml.etree import ElementTree as ET

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from agendas.archive.models import DossierClassification, SelectionCategory

MDTO_NS = "https://www.nationaalarchief.nl/mdto"
ET.register_namespace("mdto", MDTO_NS)
ARCHIVE_CREATOR = ("mnre1034", "ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "TOOI")
SOURCE = "Kansenagenda"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "bestand"


def _el(parent, name: str, text: str | None = None):
    element = ET.SubElement(parent, f"{{{MDTO_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _identification(parent, kenmerk: str, bron: str = SOURCE) -> None:
    ident = _el(parent, "identificatie")
    _el(ident, "identificatieKenmerk", kenmerk)
    _el(ident, "identificatieBron", bron)


def _term(parent, name: str, label: str, code: str, vocabulary: str) -> None:
    begrip = _el(parent, name)
    _el(begrip, "begripLabel", label)
    _el(begrip, "begripCode", code)
    lijst = _el(begrip, "begripBegrippenlijst")
    _el(lijst, "verwijzingNaam", vocabulary)


def _files(agenda) -> list[tuple[str, str, object]]:
    """(path in the zip, description, FieldFile) for every PDF and attachment of the dossier."""
    files = []
    for document in agenda.generated_documents.filter(status="ready").exclude(file="").order_by("pk"):
        label = document.get_kind_display()
        year = f"-{document.year}" if document.year else ""
        files.append(
            (f"pdf/{document.kind}{year}-v{document.version_number}-{document.pk}.pdf", str(label), document.file)
        )
    for attachment in agenda.attachments.order_by("pk"):
        files.append(
            (f"bijlagen/{attachment.pk}-{_safe(attachment.original_name)}", attachment.original_name, attachment.file)
        )
    return files


def metadata_xml(classification: DossierClassification, entries: list[dict]) -> bytes:
    agenda = classification.agenda
    category = classification.category
    root = ET.Element(f"{{{MDTO_NS}}}MDTO")
    obj = _el(root, "informatieobject")
    _identification(obj, f"kansenagenda-{agenda.pk}")
    _el(obj, "naam", agenda.title)
    _term(obj, "aggregatieniveau", "Dossier", "dossier", "MDTO Aggregatieniveaus")
    _term(obj, "classificatie", category.name, category.code, category.selection_list)
    _term(obj, "waardering", category.get_nomination_display(), category.nomination, "MDTO Waarderingen")
    termijn = _el(obj, "bewaartermijn")
    _el(termijn, "termijnTriggerStartLooptijd", "afsluiting dossier")
    if classification.closed_on:
        _el(termijn, "termijnStartdatumLooptijd", classification.closed_on.isoformat())
    _el(termijn, "termijnLooptijd", f"P{category.retention_years}Y")
    if classification.action_date:
        _el(termijn, "termijnEinddatum", classification.action_date.isoformat())
    coverage = _el(obj, "dekkingInTijd")
    _term(coverage, "dekkingInTijdType", "Looptijd", "looptijd", "MDTO Dekking in tijd")
    _el(coverage, "dekkingInTijdBegindatum", f"{agenda.start_year}-01-01")
    _el(coverage, "dekkingInTijdEinddatum", f"{agenda.end_year}-12-31")
    _el(obj, "omschrijving", _("Kansenagenda van de regio %(region)s, status %(status)s.") % {
        "region": agenda.alliance.region.name, "status": agenda.get_status_display()})  # fmt: skip
    creator = _el(obj, "archiefvormer")
    _el(creator, "verwijzingNaam", ARCHIVE_CREATOR[1])
    _identification(creator, ARCHIVE_CREATOR[0], ARCHIVE_CREATOR[2])
    _el(obj, "taal", "nl")
    for entry in entries:
        bestand = _el(root, "bestand")
        _identification(bestand, entry["path"])
        _el(bestand, "naam", entry["name"])
        _el(bestand, "omvang", str(entry["size"]))
        _term(bestand, "bestandsformaat", entry["format"], entry["format"], "PRONOM / MIME")
        checksum = _el(bestand, "checksum")
        _term(checksum, "checksumAlgoritme", "SHA-256", "SHA-256", "MDTO Checksum algoritme")
        _el(checksum, "checksumWaarde", entry["sha256"])
        _el(checksum, "checksumDatum", entry["at"])
        isrep = _el(bestand, "isRepresentatieVan")
        _el(isrep, "verwijzingNaam", agenda.title)
        _identification(isrep, f"kansenagenda-{agenda.pk}")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def transfer_package(classification: DossierClassification) -> bytes:
    """The zip for one dossier marked "bewaren" (refused for "vernietigen" or destroyed dossiers)."""
    import hashlib
    import mimetypes

    if classification.category.nomination != SelectionCategory.Nomination.KEEP:
        raise ValidationError(_("Alleen dossiers met archiefnominatie ‘bewaren’ worden overgebracht."))
    if classification.destroyed_at:
        raise ValidationError(_("Dit dossier is vernietigd."))
    now = timezone.now().astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    buffer = io.BytesIO()
    entries = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name, field_file in _files(classification.agenda):
            with field_file.storage.open(field_file.name, "rb") as handle:
                content = handle.read()
            archive.writestr(path, content)
            entries.append(
                {
                    "path": path,
                    "name": name,
                    "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "format": mimetypes.guess_type(path)[0] or "application/octet-stream",
                    "at": now,
                }
            )
        archive.writestr("metadata.xml", metadata_xml(classification, entries))
    return buffer.getvalue()
