"""Woo-index publication (issue 14, item 2): DiWoo metadata (standard version 0.9.8) for every actively
published document and the harvestable sitemap that carries it.

What is published is decided in ONE place, ``reports.permissions.publication_policy``: approved or active
agendas with a signed approving decision marked "actief openbaar maken". Each such agenda yields two
documents: the public agenda version (``/openbaar/agendas/<pk>/``, also as PDF) and the public decision
(``/openbaar/agendas/<pk>/besluit/``: outcome, amounts and conditions without names or nota texts) and the
decision letter as sent to the alliance (``/openbaar/agendas/<pk>/besluitbrief/``, objection clause included,
without the signatory's name).
Only organisations appear (TOOI identifiers), never a person. Field list and value lists: docs/woo.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation
from agendas.models import Agenda, AgendaPartner, Decision
from reports.permissions import publication_policy

DIWOO_NS = "https://standaarden.overheid.nl/diwoo/metadata/"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DIWOO_XSD = "https://standaarden.overheid.nl/diwoo/metadata/0.9.8/xsd/diwoo/diwoo-metadata.xsd"
ET.register_namespace("diwoo", DIWOO_NS)
ET.register_namespace("xsi", XSI_NS)
ET.register_namespace("", SITEMAP_NS)  # the sitemap's own elements without a prefix, as harvesters expect

TOOI = "https://identifier.overheid.nl/tooi"
KERN = f"{TOOI}/def/thes/kern"
#: The publisher of every document: the ministry of BZK (TOOI "ministerielijst").
PUBLISHER = (f"{TOOI}/id/ministerie/mnre1034", "ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
#: Woo information categories (TOOI waardelijst scw_woo_informatiecategorieen, version 4). The approval of a
#: kansenagenda is a decision addressed to the alliance and grants money: a beschikking (Woo art. 3.3 lid 2
#: sub g); the agenda it approves is that beschikking's annex, so it falls in the same category.
BESCHIKKINGEN = (f"{KERN}/c_46a81018", "beschikkingen")
#: Document actions (ccw_plooi_documenthandelingen): the decision is signed, the agenda adopted by it.
ONDERTEKENING = (f"{KERN}/c_e1ec050e", "ondertekening")
VASTSTELLING = (f"{KERN}/c_641ecd76", "vaststelling")
DUTCH = ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")
HTML = ("http://publications.europa.eu/resource/authority/file-type/HTML", "HTML")


@dataclass
class WooDocument:
    key: str  # "agenda", "decision" or "letter": with the agenda's pk, the document's identity
    agenda_id: int
    title: str
    path: str  # the document's own page
    metadata_path: str
    category: tuple[str, str]
    created: datetime.date
    published: datetime.datetime
    handling: tuple[str, str]
    identifiers: list[str]
    co_responsible: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""
    relation: str = ""  # path of the related document (the agenda is part of the decision)


def _published_decisions(agenda_ids: list[int]) -> dict[int, Decision]:
    """Per agenda its latest signed, approving, actively published decision (one query)."""
    later = Decision.objects.filter(
        agenda=OuterRef("agenda"),
        signed_at__isnull=False,
        outcome=Decision.Outcome.APPROVE,
        actively_published=True,
        pk__gt=OuterRef("pk"),
    )
    decisions = (
        Decision.objects.filter(
            agenda_id__in=agenda_ids, signed_at__isnull=False, outcome=Decision.Outcome.APPROVE, actively_published=True
        )
        .exclude(Exists(later))
        .select_related("version")
    )
    return {d.agenda_id: d for d in decisions}


def _public_partners(agendas: list[Agenda]) -> dict[int, list[tuple[str, str]]]:
    """Per agenda the public organisations with a TOOI identifier: its partners and its alliance's members."""
    by_agenda: dict[int, dict[str, str]] = defaultdict(dict)
    with_tooi = {"organisation__tooi_identifier__gt": ""}
    for agenda_id, uri, name in AgendaPartner.objects.filter(
        agenda__in=[a.pk for a in agendas], **with_tooi
    ).values_list("agenda_id", "organisation__tooi_identifier", "organisation__name"):
        by_agenda[agenda_id][uri] = name
    alliance_agendas = defaultdict(list)
    for agenda in agendas:
        alliance_agendas[agenda.alliance_id].append(agenda.pk)
    members = Organisation.alliances.through.objects.filter(
        alliance_id__in=list(alliance_agendas), **with_tooi
    ).values_list("alliance_id", "organisation__tooi_identifier", "organisation__name")
    for alliance_id, uri, name in members:
        for agenda_id in alliance_agendas[alliance_id]:
            by_agenda[agenda_id][uri] = name
    return {pk: sorted(orgs.items()) for pk, orgs in by_agenda.items()}


def woo_documents(agenda_pk: int | None = None) -> list[WooDocument]:
    """Every actively published document (optionally of one agenda), in a fixed number of queries."""
    agendas = publication_policy.published().select_related("alliance__region").order_by("pk")
    if agenda_pk is not None:
        agendas = agendas.filter(pk=agenda_pk)
    agendas = list(agendas)
    decisions = _published_decisions([a.pk for a in agendas])
    partners = _public_partners(agendas)
    documents: list[WooDocument] = []
    with translation.override("nl"):
        for agenda in agendas:
            decision = decisions.get(agenda.pk)
            if decision is None:  # pragma: no cover – the policy requires one
                continue
            signed = decision.signed_at
            names = {"title": agenda.title, "region": agenda.alliance.region.name}
            decision_path = reverse("public:decision", args=[agenda.pk])
            documents.append(
                WooDocument(
                    key="agenda",
                    agenda_id=agenda.pk,
                    title=_("Kansenagenda %(title)s (regio %(region)s)") % names,
                    path=reverse("public:agenda", args=[agenda.pk]),
                    metadata_path=reverse("public:agenda-metadata", args=[agenda.pk]),
                    category=BESCHIKKINGEN,
                    created=timezone.localdate(decision.version.created_at),
                    published=signed,
                    handling=VASTSTELLING,
                    identifiers=[f"kansenagenda-{agenda.pk}-versie-{decision.version.number}"],
                    co_responsible=partners.get(agenda.pk, []),
                    description=_("Goedgekeurde kansenagenda %(title)s, openbare versie.") % names,
                    relation=decision_path,
                )
            )
            documents.append(
                WooDocument(
                    key="decision",
                    agenda_id=agenda.pk,
                    title=_("Besluit over de kansenagenda %(title)s (regio %(region)s)") % names,
                    path=decision_path,
                    metadata_path=reverse("public:decision-metadata", args=[agenda.pk]),
                    category=BESCHIKKINGEN,
                    created=decision.date,
                    published=signed,
                    handling=ONDERTEKENING,
                    identifiers=[decision.reference, f"kansenagenda-{agenda.pk}-besluit-{decision.pk}"],
                    description=_("Besluit van de minister van BZK over de kansenagenda %(title)s.") % names,
                )
            )
            documents.append(
                WooDocument(
                    key="letter",
                    agenda_id=agenda.pk,
                    title=_("Besluitbrief over de kansenagenda %(title)s (regio %(region)s)") % names,
                    path=reverse("public:decision-letter", args=[agenda.pk]),
                    metadata_path=reverse("public:decision-letter-metadata", args=[agenda.pk]),
                    category=BESCHIKKINGEN,
                    created=timezone.localdate(signed),
                    published=signed,
                    handling=ONDERTEKENING,
                    identifiers=[f"{decision.reference}-brief", f"kansenagenda-{agenda.pk}-besluitbrief-{decision.pk}"],
                    description=_(
                        "De brief waarmee de minister van BZK het besluit over de kansenagenda %(title)s aan de "
                        "alliantie bekendmaakt, met de bezwaarclausule; zonder namen van personen."
                    )
                    % names,
                    relation=decision_path,
                )
            )
    return documents


# --- XML --------------------------------------------------------------------------------------------
def _el(parent, name: str, text: str | None = None, resource: str | None = None):
    element = ET.SubElement(parent, f"{{{DIWOO_NS}}}{name}")
    if resource:
        element.set("resource", resource)
    if text is not None:
        element.text = text
    return element


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def document_element(document: WooDocument, absolute: Callable[[str], str]) -> ET.Element:
    """``<diwoo:Document>`` with the DiWoo block, in the order of the standard's documentation."""
    root = ET.Element(f"{{{DIWOO_NS}}}Document")
    diwoo = _el(root, "DiWoo")
    identifiers = _el(diwoo, "identifiers")
    for identifier in [absolute(document.path), *document.identifiers]:
        _el(identifiers, "identifier", identifier)
    _el(diwoo, "publisher", PUBLISHER[1], PUBLISHER[0])
    _el(diwoo, "verantwoordelijke", PUBLISHER[1], PUBLISHER[0])
    if document.co_responsible:
        group = _el(diwoo, "medeverantwoordelijken")
        for uri, name in document.co_responsible:
            _el(group, "medeverantwoordelijke", name, uri)
    titles = _el(diwoo, "titelcollectie")
    _el(titles, "officieleTitel", document.title)
    if document.description:
        _el(_el(diwoo, "omschrijvingen"), "omschrijving", document.description)
    classification = _el(diwoo, "classificatiecollectie")
    _el(_el(classification, "informatiecategorieen"), "informatiecategorie", document.category[1], document.category[0])
    _el(diwoo, "creatiedatum", document.created.isoformat())
    _el(diwoo, "language", DUTCH[1], DUTCH[0])
    _el(diwoo, "format", HTML[1], HTML[0])
    if document.relation:
        _el(diwoo, "isPartOf", absolute(document.relation), absolute(document.relation))
    handlings = _el(diwoo, "documenthandelingen")
    handling = _el(handlings, "documenthandeling")
    _el(handling, "soortHandeling", document.handling[1], document.handling[0])
    _el(handling, "atTime", _timestamp(document.published))
    _el(handling, "wasAssociatedWith", PUBLISHER[1], PUBLISHER[0])
    return root


def metadata_xml(document: WooDocument, absolute: Callable[[str], str]) -> bytes:
    root = document_element(document, absolute)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{DIWOO_NS} {DIWOO_XSD}")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def sitemap_xml(documents: list[WooDocument], absolute: Callable[[str], str]) -> bytes:
    """A sitemap (sitemaps.org 0.9) whose every ``<url>`` carries the document's DiWoo metadata."""
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    urlset.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{SITEMAP_NS} http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd {DIWOO_NS} {DIWOO_XSD}",
    )
    for document in documents:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(document.path)
        ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = _timestamp(document.published)
        url.append(document_element(document, absolute))
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
