"""Numbered, immutable versions of an agenda's content, and the difference between two versions.

A snapshot is plain JSON (strings for money and decimals, never floats) so that a version reads the same
in ten years, whatever happens to the live agenda or the reference lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.models import User
from agendas.drafting.commitments import snapshot_commitments
from agendas.drafting.selectors import summarise_lines
from agendas.models import Agenda, AgendaVersion, BudgetLine, FundingSource, Milestone, Priority

SNAPSHOT_SCHEMA = 1

AGENDA_FIELDS = [
    ("title", "titel"),
    ("start_year", "beginjaar"),
    ("end_year", "eindjaar"),
    ("vision", "visie en ambitie"),
    ("analysis", "analyse van opgaven en kansen"),
    ("baseline_notes", "brede-welvaartsnulmeting"),
    ("low_cofinancing_justification", "onderbouwing lagere cofinanciering"),
]
PRIORITY_FIELDS = [
    "title",
    "theme",
    "goals",
    "dimensions",
    "programmes",
    "lead_partner",
    "theory_cause",
    "theory_action",
    "theory_conditions",
    "theory_expected_change",
]
MILESTONE_FIELDS = [
    "title",
    "indicator_name",
    "unit",
    "type",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "measurement",
    "chain_link",
    "monitor_indicator",
]


def _s(value) -> str | None:
    return None if value is None else str(value)


def build_snapshot(agenda: Agenda) -> dict:
    """The agenda's content as JSON. A fixed number of queries, whatever the size of the agenda."""
    priorities = (
        Priority.objects.filter(agenda=agenda)
        .select_related("theme", "lead_partner")
        .prefetch_related(
            "dimensions",
            "programmes",
            Prefetch(
                "budget_lines", queryset=BudgetLine.objects.select_related("source").order_by("year", "source__order")
            ),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("monitor_indicator").order_by("target_year", "pk"),
            ),
        )
        .order_by("order", "pk")
    )
    data = {
        "schema": SNAPSHOT_SCHEMA,
        "agenda": {name: getattr(agenda, name) for name, _label in AGENDA_FIELDS},
        "alliance": agenda.alliance.name,
        "region": agenda.alliance.region.name,
        "partners": [
            {
                "organisation_id": p.organisation_id,
                "organisation": p.organisation.name,
                "role": p.role,
                "commitment_type": p.commitment_type,
                "commitment": p.commitment,
                "commitment_amount": _s(p.commitment_amount),
            }
            for p in agenda.partners.select_related("organisation").order_by("organisation__name")
        ],
        "partner_commitments": snapshot_commitments(agenda),
        "priorities": [],
    }
    for p in priorities:
        data["priorities"].append(
            {
                "id": p.pk,
                "title": p.title,
                "theme": p.theme.name,
                "goals": p.goals,
                "dimensions": [d.name for d in p.dimensions.all()],
                "programmes": [g.name for g in p.programmes.all()],
                "lead_partner": p.lead_partner.name if p.lead_partner else "",
                "theory_cause": p.theory_cause,
                "theory_action": p.theory_action,
                "theory_conditions": p.theory_conditions,
                "theory_expected_change": p.theory_expected_change,
                "budget_lines": [
                    {
                        "year": b.year,
                        "source_id": b.source_id,
                        "source_code": b.source.code,
                        "source": b.source.name,
                        "amount": str(b.amount),
                    }
                    for b in p.budget_lines.all()
                ],
                "milestones": [
                    {
                        "id": m.pk,
                        "title": m.title,
                        "indicator_name": m.indicator_name,
                        "unit": m.unit,
                        "type": m.type,
                        "baseline_value": str(m.baseline_value),
                        "baseline_year": m.baseline_year,
                        "target_value": str(m.target_value),
                        "target_year": m.target_year,
                        "measurement": m.measurement,
                        "chain_link": m.chain_link,
                        "monitor_indicator": m.monitor_indicator.name if m.monitor_indicator_id else "",
                        "monitor_indicator_code": m.monitor_indicator.code if m.monitor_indicator_id else "",
                    }
                    for m in p.milestones.all()
                ],
            }
        )
    summary = snapshot_budget_summary(data)
    data["budget"] = {
        "total": str(summary.total),
        "rijk_extra": str(summary.rijk_extra),
        "cofinancing": str(summary.cofinancing),
        "cofinancing_ratio": _s(summary.cofinancing_ratio),
        "rijk_extra_by_year": {str(y): str(a) for y, a in sorted(summary.rijk_extra_by_year.items())},
    }
    return data


def snapshot_budget_summary(snapshot: dict, sources: list[FundingSource] | None = None):
    """budget_summary computed from a snapshot instead of the live agenda."""
    sources = sources if sources is not None else list(FundingSource.objects.all())
    rows = [
        (p["id"], b["year"], b["source_id"], Decimal(b["amount"]))
        for p in snapshot["priorities"]
        for b in p["budget_lines"]
    ]
    years = list(range(snapshot["agenda"]["start_year"], snapshot["agenda"]["end_year"] + 1))
    return summarise_lines(rows, years, sources)


def version_cofinancing(snapshot: dict) -> dict:
    """The co-financing a version states, for every copy of it (nota page and PDF, the reviewer's copy):
    the ratio from the one budget summary and, when it is below 1 : 1, the region's justification."""
    summary = snapshot_budget_summary(snapshot)
    ratio = summary.cofinancing_ratio
    below_one = ratio is not None and ratio < 1
    return {
        "rijk_extra": str(summary.rijk_extra.quantize(Decimal("0.01"))),
        "cofinancing": str(summary.cofinancing.quantize(Decimal("0.01"))),
        "ratio": str(ratio) if ratio is not None else None,
        "below_one": below_one,
        "justification": snapshot["agenda"].get("low_cofinancing_justification", "") if below_one else "",
    }


def requested_rijk_extra_by_year(version: AgendaVersion) -> dict[int, Decimal]:
    """The extra Rijk contribution the region asked for per year in this version (the ceiling of a decision)."""
    stored = version.snapshot.get("budget", {}).get("rijk_extra_by_year")
    if stored is not None:
        return {int(y): Decimal(a) for y, a in stored.items()}
    return snapshot_budget_summary(version.snapshot).rijk_extra_by_year


def version_create(*, agenda: Agenda, actor: User, reason: str = AgendaVersion.Reason.SUBMISSION) -> AgendaVersion:
    """Freeze the agenda's content as the next numbered version.

    Runs inside the caller's transaction (the submit service), which holds the agenda's row lock."""
    number = agenda.current_version + 1
    version = AgendaVersion.objects.create(
        agenda=agenda, number=number, reason=reason, snapshot=build_snapshot(agenda), created_by=actor
    )
    agenda.current_version = number
    return version


# --- diff ------------------------------------------------------------------------------------------
@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class SectionDiff:
    key: str
    title: str
    status: str = "changed"  # changed | added | removed
    changes: list[Change] = field(default_factory=list)
    children: list[SectionDiff] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.status == "changed" and not self.changes and all(c.is_empty for c in self.children)


@dataclass
class VersionDiff:
    old_number: int
    new_number: int
    sections: list[SectionDiff]

    @property
    def has_changes(self) -> bool:
        return any(not s.is_empty for s in self.sections)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _field_changes(old: dict, new: dict, fields: list[tuple[str, str]]) -> list[Change]:
    return [
        Change(label, _text(old.get(name)), _text(new.get(name)))
        for name, label in fields
        if _text(old.get(name)) != _text(new.get(name))
    ]


def _labels(model, names: list[str]) -> list[tuple[str, str]]:
    return [(n, str(model._meta.get_field(n).verbose_name)) for n in names]


def _budget_key(line: dict) -> tuple:
    return (line["year"], line.get("source_code") or line["source"])


def diff_snapshots(old: dict, new: dict) -> list[SectionDiff]:
    sections = [
        SectionDiff(
            "agenda",
            _("Algemeen"),
            changes=_field_changes(
                old["agenda"],
                new["agenda"],
                [(n, str(Agenda._meta.get_field(n).verbose_name)) for n, _l in AGENDA_FIELDS],
            ),
        )
    ]
    old_partners = {p["organisation"]: p for p in old.get("partners", [])}
    new_partners = {p["organisation"]: p for p in new.get("partners", [])}
    partners = SectionDiff("partners", _("Partners"))
    for name in sorted(set(old_partners) | set(new_partners)):
        o, n = old_partners.get(name), new_partners.get(name)
        if o is None:
            partners.children.append(SectionDiff(f"partner-{name}", name, status="added"))
        elif n is None:
            partners.children.append(SectionDiff(f"partner-{name}", name, status="removed"))
        else:
            changes = _field_changes(
                o,
                n,
                [
                    ("role", _("rol")),
                    ("commitment_type", _("soort inzet")),
                    ("commitment", _("toezegging")),
                    ("commitment_amount", _("bedrag toezegging (€)")),
                ],
            )
            if changes:
                partners.children.append(SectionDiff(f"partner-{name}", name, changes=changes))
    sections.append(partners)

    old_p = {p["id"]: p for p in old["priorities"]}
    new_p = {p["id"]: p for p in new["priorities"]}
    order = [p["id"] for p in new["priorities"]] + [pid for pid in old_p if pid not in new_p]
    priority_labels = _labels(Priority, PRIORITY_FIELDS)
    milestone_labels = _labels(Milestone, MILESTONE_FIELDS)
    for pid in order:
        o, n = old_p.get(pid), new_p.get(pid)
        title = (n or o)["title"]
        if o is None or n is None:
            sections.append(
                SectionDiff(
                    f"priority-{pid}",
                    _("Prioriteit: %(title)s") % {"title": title},
                    status="added" if o is None else "removed",
                )
            )
            continue
        section = SectionDiff(
            f"priority-{pid}",
            _("Prioriteit: %(title)s") % {"title": title},
            changes=_field_changes(o, n, priority_labels),
        )
        # budget per (year, source)
        ob = {_budget_key(b): b for b in o["budget_lines"]}
        nb = {_budget_key(b): b for b in n["budget_lines"]}
        budget = SectionDiff(f"priority-{pid}-budget", _("Begroting"))
        for key in sorted(set(ob) | set(nb)):
            before = ob.get(key, {}).get("amount", "")
            after = nb.get(key, {}).get("amount", "")
            if before != after:
                source = (nb.get(key) or ob.get(key))["source"]
                budget.changes.append(Change(f"{key[0]} – {source}", before, after))
        section.children.append(budget)
        om = {m["id"]: m for m in o["milestones"]}
        nm = {m["id"]: m for m in n["milestones"]}
        for mid in list(nm) + [m for m in om if m not in nm]:
            mo, mn = om.get(mid), nm.get(mid)
            mtitle = _("Mijlpaal: %(title)s") % {"title": (mn or mo)["title"]}
            if mo is None or mn is None:
                section.children.append(
                    SectionDiff(f"milestone-{mid}", mtitle, status="added" if mo is None else "removed")
                )
            else:
                changes = _field_changes(mo, mn, milestone_labels)
                if changes:
                    section.children.append(SectionDiff(f"milestone-{mid}", mtitle, changes=changes))
        sections.append(section)

    totals = SectionDiff(
        "budget",
        _("Begroting totaal"),
        changes=_field_changes(
            old.get("budget", {}),
            new.get("budget", {}),
            [
                ("total", _("totaal (€)")),
                ("rijk_extra", _("gevraagde extra rijksbijdrage (€)")),
                ("cofinancing", _("cofinanciering (€)")),
                ("cofinancing_ratio", _("cofinancieringsratio")),
            ],
        ),
    )
    sections.append(totals)
    return sections


def diff_versions(old: AgendaVersion, new: AgendaVersion) -> VersionDiff:
    return VersionDiff(old.number, new.number, diff_snapshots(old.snapshot, new.snapshot))


def live_pseudo_version(agenda: Agenda) -> AgendaVersion:
    """The current (unsaved) content as an unsaved version object, to compare the draft with a version."""
    return AgendaVersion(agenda=agenda, number=agenda.current_version + 1, snapshot=build_snapshot(agenda))
