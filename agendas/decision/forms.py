"""Forms of the workflow pages. They only parse input; the services validate and decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from agendas import clocks
from agendas.decision import reviews as review_services
from agendas.models import Advice, BroadWelfareDimension, Decision, Review, ReviewDimensionScore
from kansenagenda import money
from kansenagenda.locking import LockVersionFormField

NOT_APPLICABLE = "nvt"
EFFECT_CHOICES = [
    ("", "—"),
    *[(str(v), f"{v:+d}" if v else "0") for v in (-2, -1, 0, 1, 2)],
    (NOT_APPLICABLE, _("niet van toepassing")),
]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Toelichting (optioneel)"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lock_version = LockVersionFormField(label=_("Versie"))


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("Beoordelaar"),
        queryset=User.objects.none(),
        help_text=_(
            "Alleen mensen met de rol onafhankelijk beoordelaar. Het systeem controleert de onafhankelijkheid."
        ),
    )
    due_date = forms.DateField(
        label=_("Uiterste datum"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Standaard zes weken vanaf vandaag."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(groups__name=roles.REVIEWER, is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["due_date"].initial = clocks.review_due_date()


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Heeft u een belangenconflict bij deze agenda?"),
        choices=[
            ("no", _("Nee, ik heb geen belang bij deze agenda of de organisaties in de alliantie")),
            ("yes", _("Ja, ik heb een belangenconflict")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht als u een conflict meldt: welk belang speelt er?"),
    )


FIELD_PARTS = ("effect", "confidence", "explanation")


class ReviewForm(forms.Form):
    """One form for the whole review: per dimension effect/confidence/explanation, per priority remarks and
    response points (one per line), then distribution effects, verdict and recommendations."""

    lock_version = LockVersionFormField(label=_("Versie"))
    distribution_effects = forms.CharField(
        label=_("Verdelingseffecten"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Welke groepen en gebieden winnen of verliezen?"),
    )
    verdict = forms.ChoiceField(label=_("Oordeel"), choices=[("", "—"), *Review.Verdict.choices], required=False)
    recommendations = forms.CharField(
        label=_("Aanbevelingen"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, review: Review, priorities: list[dict], **kwargs):
        self.dimensions = list(BroadWelfareDimension.objects.filter(active=True).order_by("order", "name"))
        self.priorities = priorities
        scores = {s.dimension_id: s for s in review.scores.all()}
        remarks = {r.priority_id: r.remarks for r in review.priority_remarks.all()}
        points: dict[int | None, list[str]] = {}
        for p in review.response_points.all():
            points.setdefault(p.priority_id, []).append(p.text)
        initial = {
            "lock_version": review.lock_version,
            "distribution_effects": review.distribution_effects,
            "verdict": review.verdict,
            "recommendations": review.recommendations,
        }
        super().__init__(*args, initial=initial, **kwargs)
        for dim in self.dimensions:
            score = scores.get(dim.pk)
            self.fields[f"effect_{dim.code}"] = forms.ChoiceField(
                label=_("Verwacht effect op ‘%(dim)s’") % {"dim": dim.label},
                choices=EFFECT_CHOICES,
                required=False,
                initial=(NOT_APPLICABLE if score.not_applicable else str(score.effect)) if score else "",
            )
            self.fields[f"confidence_{dim.code}"] = forms.ChoiceField(
                label=_("Zekerheid ‘%(dim)s’") % {"dim": dim.label},
                choices=[("", "—"), *ReviewDimensionScore.Confidence.choices],
                required=False,
                initial=score.confidence if score else "",
            )
            self.fields[f"explanation_{dim.code}"] = forms.CharField(
                label=_("Toelichting ‘%(dim)s’ (bij ‘niet van toepassing’: waarom)") % {"dim": dim.label},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.explanation if score else "",
            )
        for p in priorities:
            self.fields[f"remarks_{p['id']}"] = forms.CharField(
                label=_("Opmerkingen bij ‘%(title)s’") % {"title": p["title"]},
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=remarks.get(p["id"], ""),
            )
            self.fields[f"points_{p['id']}"] = forms.CharField(
                label=_("Punten waarop de regio moet reageren bij ‘%(title)s’") % {"title": p["title"]},
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Eén punt per regel. De regio kan pas opnieuw indienen als elk punt is beantwoord."),
                initial="\n".join(points.get(p["id"], [])),
            )

    def dimension_rows(self):
        perspectives = dict(BroadWelfareDimension.Perspective.choices)
        return [
            {
                "dimension": d,
                "perspective": perspectives.get(d.perspective, d.perspective),
                "effect": self[f"effect_{d.code}"],
                "confidence": self[f"confidence_{d.code}"],
                "explanation": self[f"explanation_{d.code}"],
            }
            for d in self.dimensions
        ]

    def dimension_groups(self):
        """The dimension rows under their perspective: hier en nu, later, elders (in that order)."""
        rows = self.dimension_rows()
        return [
            {
                "code": code,
                "label": label,
                "rows": [r for r in rows if r["dimension"].perspective == code],
                "has_errors": any(
                    r[name].errors for r in rows if r["dimension"].perspective == code for name in FIELD_PARTS
                ),
            }
            for code, label in BroadWelfareDimension.Perspective.choices
            if any(r["dimension"].perspective == code for r in rows)
        ]

    def priority_rows(self):
        return [
            {"priority": p, "remarks": self[f"remarks_{p['id']}"], "points": self[f"points_{p['id']}"]}
            for p in self.priorities
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        scores = []
        for d in self.dimensions:
            effect = data.get(f"effect_{d.code}") or ""
            scores.append(
                review_services.ScoreInput(
                    d.pk,
                    int(effect) if effect not in ("", NOT_APPLICABLE) else None,
                    data.get(f"confidence_{d.code}") or "",
                    data.get(f"explanation_{d.code}") or "",
                    not_applicable=effect == NOT_APPLICABLE,
                )
            )
        points = [
            review_services.PointInput(line.strip(), p["id"])
            for p in self.priorities
            for line in (data.get(f"points_{p['id']}") or "").splitlines()
            if line.strip()
        ]
        return {
            "lock_version": data["lock_version"],
            "distribution_effects": data.get("distribution_effects", ""),
            "verdict": data.get("verdict", ""),
            "recommendations": data.get("recommendations", ""),
            "scores": scores,
            "remarks": {p["id"]: data.get(f"remarks_{p['id']}", "") for p in self.priorities},
            "response_points": points,
        }

    def service_error_field(self, key: str) -> str | None:
        """Map a service error key (e.g. ``score_gezondheid``) to a form field."""
        if key.startswith("score_"):
            return f"effect_{key.removeprefix('score_')}"
        if key.startswith("reason_"):
            return f"explanation_{key.removeprefix('reason_')}"
        return key if key in self.fields else None


class AdviceForm(forms.ModelForm):
    class Meta:
        model = Advice
        fields = ["text", "recommendation"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


class DecisionForm(forms.Form):
    """The nota ter besluitvorming (shape of seed 003)."""

    lock_version = LockVersionFormField(label=_("Versie"), required=False)  # required once a nota exists (service)
    addressed_to = forms.CharField(label=_("Aan"), max_length=300, initial=_("minBZK"))
    sender = forms.CharField(label=_("Van"), max_length=300, initial=_("DGOBDR / Regionale ontwikkeling"))
    reference = forms.CharField(
        label=_("Onze referentie"),
        max_length=100,
        required=False,
        help_text=_("Leeg laten: het systeem vult een kenmerk in."),
    )
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    advised_decision = forms.ChoiceField(label=_("Geadviseerd besluit"), choices=Decision.Outcome.choices)
    actively_published = forms.TypedChoiceField(
        label=_("Nota actief openbaar"),
        choices=[("no", _("Nee")), ("yes", _("Ja"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    core = forms.CharField(label=_("Kern"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    explanation = forms.CharField(
        label=_("Toelichting"), max_length=50000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    not_public_information = forms.CharField(
        label=_("Informatie die niet openbaar gemaakt kan worden"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Met de grond uit de Woo (art. 5.1 of 5.2); leeg laten als alles openbaar kan."),
    )
    conditions = forms.CharField(
        label=_("Voorwaarden (bij goedkeuren)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label=_("Redenen (bij terugsturen of afwijzen)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, requested: dict[int, Decimal], years: list[int], decision: Decision | None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        initial.setdefault("date", timezone.localdate())
        if decision is not None:
            initial.update(
                {
                    "lock_version": decision.lock_version,
                    "addressed_to": decision.addressed_to,
                    "sender": decision.sender,
                    "reference": decision.reference,
                    "date": decision.date,
                    "advised_decision": decision.advised_decision,
                    "actively_published": "yes" if decision.actively_published else "no",
                    "core": decision.core,
                    "explanation": decision.explanation,
                    "not_public_information": decision.not_public_information,
                    "conditions": decision.conditions,
                    "reasons": decision.reasons,
                }
            )
            for ya in decision.year_amounts.all():
                initial[f"amount_{ya.year}"] = ya.approved_amount
        if decision is None or not any(f"amount_{year}" in initial for year in years):
            # a new nota starts from what the region asked for; the officer lowers where the ministry grants less
            for year in years:
                if requested.get(year):
                    initial.setdefault(f"amount_{year}", requested[year])
        super().__init__(*args, initial=initial, **kwargs)
        self.years = years
        for year in years:
            asked = requested.get(year, Decimal("0.00"))
            self.fields[f"amount_{year}"] = money.MoneyField(
                label=_("Toegekende rijksbijdrage %(year)s (€)") % {"year": year},
                required=False,
                allow_negative=True,  # the service refuses negative amounts with its own message
                help_text=_("Gevraagd: %(asked)s. Nooit meer dan gevraagd.") % {"asked": money.format_amount(asked)},
            )

    def amount_fields(self):
        return [self[f"amount_{y}"] for y in self.years]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "advised_decision": d["advised_decision"],
            "core": d["core"],
            "explanation": d.get("explanation", ""),
            "addressed_to": d["addressed_to"],
            "sender": d["sender"],
            "reference": d.get("reference", ""),
            "date": d["date"],
            "actively_published": d["actively_published"],
            "not_public_information": d.get("not_public_information", ""),
            "conditions": d.get("conditions", ""),
            "reasons": d.get("reasons", ""),
            "year_amounts": {y: d[f"amount_{y}"] for y in self.years if d.get(f"amount_{y}") is not None},
            "lock_version": d.get("lock_version"),
        }


class SignForm(forms.Form):
    """The signatory's check page: sign the advised outcome, choose another with a reason, or send back."""

    SEND_BACK = "send_back"

    lock_version = LockVersionFormField(label=_("Versie"))
    choice = forms.ChoiceField(
        label=_("Uw besluit"),
        required=False,  # empty: the advised outcome
        widget=forms.RadioSelect,
        choices=[
            *Decision.Outcome.choices,
            (SEND_BACK, _("Niet ondertekenen: terugsturen naar de opsteller")),
        ],
    )
    reason = forms.CharField(
        label=_("Reden of opmerkingen"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nodig bij een ander besluit dan geadviseerd en bij terugsturen naar de opsteller."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Uw reactie"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Oude versie"), coerce=int)
    b = forms.TypedChoiceField(label=_("Nieuwe versie"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Versie %(n)s") % {"n": n}) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
