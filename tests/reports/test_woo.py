"""Issue 14 item 2: Woo-index sitemap and DiWoo metadata – only published documents, no person names,
the fields the DiWoo standard (0.9.8) requires, and (when the XSD is at hand) valid against it."""

from __future__ import annotations

import os
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation
from agendas.models import Agenda
from reports import woo
from tests.factories_reports import add_personal_data, build_agenda, make_decision

S = Agenda.Status
NS = {"sm": woo.SITEMAP_NS, "diwoo": woo.DIWOO_NS}
D = f"{{{woo.DIWOO_NS}}}"
#: The Woo's information categories (TOOI scw_woo_informatiecategorieen v4): the ones a document may carry.
WOO_CATEGORIES = {
    "c_3baef532", "c_99a836c7", "c_3a248e3a", "c_89ee6784", "c_46a81018", "c_8c840238", "c_8fc2335c",
    "c_816e508d", "c_c6cd1213", "c_a870c43d", "c_fdaee95e", "c_759721e2", "c_40a05794", "c_aab6bfc7",
    "c_cf268088", "c_c76862ab", "c_db4862c3", "c_139c6280",
}  # fmt: skip
#: DiWooType's elements (xs:all) and which are required.
DIWOO_ELEMENTS = {
    "identifiers", "publisher", "verantwoordelijke", "medeverantwoordelijken", "opsteller", "naamOpsteller",
    "titelcollectie", "omschrijvingen", "classificatiecollectie", "creatiedatum", "geldigheid", "language",
    "format", "aggregatiekenmerk", "isPartOf", "hasParts", "documenthandelingen", "documentrelaties",
    "redenVerwijderingVervanging",
}  # fmt: skip
REQUIRED = {"publisher", "titelcollectie", "classificatiecollectie", "documenthandelingen"}
PERSONAL = ["Geheimnaam", "Persoonlijk", "@example.nl", "Voorbereider", "Tekenaar", "Beoordelaar", "Vertegenwoordiger"]


@pytest.fixture
def published(db):
    agenda = build_agenda(status=S.ACTIVE, title="Toekomst Oost-Groningen")
    make_decision(agenda, amounts={2027: Decimal("250000.00")}, actively_published=True)
    add_personal_data(agenda)
    province = Organisation.objects.create(
        name="Provincie Groningen",
        type="provincie",
        tooi_identifier="https://identifier.overheid.nl/tooi/id/provincie/pv20",
    )
    agenda.alliance.organisations.add(province, Organisation.objects.create(name="Zonder TOOI", type="gemeente"))
    return agenda


@pytest.fixture
def unpublished(db):
    not_public = build_agenda(status=S.APPROVED, title="Niet actief openbaar")
    make_decision(not_public, actively_published=False)
    unsigned = build_agenda(status=S.AWAITING_DECISION, title="Nog niet ondertekend")
    make_decision(unsigned, signed=False)
    rejected = build_agenda(status=S.REJECTED, title="Afgewezen agenda")
    make_decision(rejected, outcome="reject")
    return [not_public, unsigned, rejected, build_agenda(status=S.DRAFT, title="Concept agenda")]


def check_diwoo(document: ET.Element) -> dict[str, ET.Element]:
    """The documented field list: only DiWoo elements, the required ones present, value-list URIs used."""
    [block] = list(document)
    assert block.tag == f"{D}DiWoo"
    children = {child.tag.removeprefix(D): child for child in block}
    assert set(children) <= DIWOO_ELEMENTS and REQUIRED <= set(children)
    assert children["publisher"].get("resource") == "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"
    assert children["titelcollectie"].find(f"{D}officieleTitel").text
    [category] = children["classificatiecollectie"].findall(f"{D}informatiecategorieen/{D}informatiecategorie")
    assert category.get("resource").rsplit("/", 1)[1] in WOO_CATEGORIES and category.text
    [handling] = children["documenthandelingen"].findall(f"{D}documenthandeling")
    assert handling.find(f"{D}soortHandeling").get("resource").startswith(woo.KERN)
    assert handling.find(f"{D}atTime").text.endswith("Z")
    assert children["language"].get("resource").endswith("/NLD")
    return children


def test_sitemap_holds_the_published_documents_only(client, published, unpublished):
    response = client.get(reverse("public:sitemap"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{woo.SITEMAP_NS}}}urlset"
    locs = [u.find("sm:loc", NS).text for u in root.findall("sm:url", NS)]
    assert locs == [
        "http://testserver" + reverse("public:agenda", args=[published.pk]),
        "http://testserver" + reverse("public:decision", args=[published.pk]),
        "http://testserver" + reverse("public:decision-letter", args=[published.pk]),
    ]
    for url in root.findall("sm:url", NS):
        assert url.find("sm:lastmod", NS).text
        check_diwoo(url.find("diwoo:Document", NS))
    for agenda in unpublished:
        assert agenda.title not in response.content.decode()


def test_per_document_metadata_and_absent_for_unpublished(client, published, unpublished):
    agenda_meta = ET.fromstring(client.get(reverse("public:agenda-metadata", args=[published.pk])).content)
    fields = check_diwoo(agenda_meta)
    assert published.title in fields["titelcollectie"].find(f"{D}officieleTitel").text
    assert [m.get("resource") for m in fields["medeverantwoordelijken"]] == [
        "https://identifier.overheid.nl/tooi/id/provincie/pv20"
    ]
    decision = published.decisions.get()
    decision_meta = check_diwoo(
        ET.fromstring(client.get(reverse("public:decision-metadata", args=[published.pk])).content)
    )
    identifiers = [i.text for i in decision_meta["identifiers"]]
    assert decision.reference in identifiers
    assert decision_meta["creatiedatum"].text == decision.date.isoformat()
    for agenda in unpublished:
        for name in (
            "public:agenda-metadata",
            "public:decision-metadata",
            "public:decision",
            "public:decision-letter",
            "public:decision-letter-metadata",
        ):
            assert client.get(reverse(name, args=[agenda.pk])).status_code == 404


def test_no_person_names_anywhere(client, published):
    decision = published.decisions.get()
    people = [decision.prepared_by, decision.signed_by]
    bodies = [
        client.get(reverse("public:sitemap")).content.decode(),
        client.get(reverse("public:agenda-metadata", args=[published.pk])).content.decode(),
        client.get(reverse("public:decision-metadata", args=[published.pk])).content.decode(),
        client.get(reverse("public:decision", args=[published.pk])).content.decode(),
        client.get(reverse("public:decision-letter", args=[published.pk])).content.decode(),
        client.get(reverse("public:decision-letter-metadata", args=[published.pk])).content.decode(),
    ]
    for body in bodies:
        for secret in PERSONAL + [p.last_name for p in people] + [p.email for p in people]:
            assert secret not in body


def test_public_decision_page(client, published):
    response = client.get(reverse("public:decision", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.decisions.get().reference in html and "€ 250.000,00" in html
    assert reverse("public:decision-metadata", args=[published.pk]) in html


def test_public_decision_letter_is_the_letter_without_names(client, published):
    """The letter is a document of its own in the Woo index: the same text as the PDF the alliance received
    (objection clause included), its own metadata (part of the decision), no signatory's name."""
    from reports.documents import collect_decision_letter, render_html

    decision = published.decisions.get()
    response = client.get(reverse("public:decision-letter", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert decision.reference in html and "€ 250.000,00" in html
    pdf_html = render_html("decision_letter", collect_decision_letter(published))
    assert str(decision.signed_by) in pdf_html and str(decision.signed_by) not in html
    for sentence in ("Geachte leden van de alliantie,", "Ik keur uw kansenagenda"):
        assert sentence in html and sentence in pdf_html
    if collect_decision_letter(published)["decision"]["objection"]:
        assert "Bezwaar maken" in html
    meta = check_diwoo(
        ET.fromstring(client.get(reverse("public:decision-letter-metadata", args=[published.pk])).content)
    )
    assert meta["isPartOf"].get("resource").endswith(reverse("public:decision", args=[published.pk]))
    assert f"{decision.reference}-brief" in [i.text for i in meta["identifiers"]]
    assert (
        reverse("public:decision-letter", args=[published.pk])
        in client.get(reverse("public:decision", args=[published.pk])).content.decode()
    )


def test_public_decision_letter_keeps_its_official_dutch_text_in_english(client, published):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(
        reverse("public:decision-letter", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Metadata of this document" in html  # the page around it follows the interface language
    assert 'lang="nl"' in html and "Geachte leden van de alliantie," in html and "€ 250.000,00" in html


def test_urls_have_no_trailing_slash():
    for name, args in (
        ("public:sitemap", []),
        ("public:agenda-metadata", [1]),
        ("public:decision-metadata", [1]),
        ("public:decision-letter-metadata", [1]),
    ):
        assert reverse(name, args=args).endswith(".xml")


def test_tooi_identifier_is_validated(db):
    organisation = Organisation(name="Gemeente X", type="gemeente", tooi_identifier="https://example.org/gm1")
    with pytest.raises(ValidationError) as exc:
        organisation.full_clean()
    assert "tooi_identifier" in exc.value.message_dict


def test_sitemap_query_count_does_not_grow(client, published, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("public:sitemap"))
    for _i in range(3):
        make_decision(build_agenda(status=S.ACTIVE), amounts={2027: Decimal("1.00")})
    with CaptureQueriesContext(connection) as four:
        root = ET.fromstring(client.get(reverse("public:sitemap")).content)
    assert len(root.findall("sm:url", NS)) == 12
    assert len(four.captured_queries) == len(one.captured_queries)


@pytest.mark.skipif(not os.environ.get("DIWOO_XSD"), reason="set DIWOO_XSD to the DiWoo 0.9.8 XSD (docs/woo.md)")
def test_valid_against_the_published_xsd(client, published):  # pragma: no cover – needs the XSD and lxml
    lxml = pytest.importorskip("lxml.etree")
    schema = lxml.XMLSchema(lxml.parse(os.environ["DIWOO_XSD"]))
    sitemap = lxml.fromstring(client.get(reverse("public:sitemap")).content)
    documents = sitemap.findall(".//diwoo:Document", NS)
    assert len(documents) == 3  # agenda, decision, decision letter
    for document in documents:
        assert schema.validate(lxml.ElementTree(document)), schema.error_log
