"""Serializers of the monitoring API (progress reports, change requests, accountability figures). Shape only:
the services validate the values with Dutch messages."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from agendas.models import ChangeRequest, ChangeRequestItem, ProgressReport, ProgressReportComment
from agendas.monitoring import services
from agendas.monitoring.selectors import is_late, report_page
from kansenagenda.locking import LockVersionSerializerField
from kansenagenda.money import MoneySerializerField


class HealthSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="achieved | cancelled | delayed | at_risk | on_track")
    label = serializers.CharField()
    explanation = serializers.CharField()
    progress_pct = serializers.DecimalField(max_digits=8, decimal_places=1)
    expected_pct = serializers.DecimalField(max_digits=8, decimal_places=1)
    spending_pct = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class MilestoneInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    priority = serializers.IntegerField(source="priority_id")
    title = serializers.CharField()
    indicator_name = serializers.CharField()
    unit = serializers.CharField()
    type = serializers.CharField()
    baseline_value = serializers.DecimalField(max_digits=18, decimal_places=4)
    baseline_year = serializers.IntegerField()
    target_value = serializers.DecimalField(max_digits=18, decimal_places=4)
    target_year = serializers.IntegerField()


class MilestoneProgressOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="progress.pk")
    milestone = MilestoneInfoSerializer()
    status = serializers.CharField(source="progress.status")
    value_reached = serializers.DecimalField(
        source="progress.value_reached", max_digits=18, decimal_places=4, allow_null=True
    )
    previous_value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    evidence = serializers.CharField(source="progress.evidence")
    evidence_attachments = serializers.SerializerMethodField()
    cancellation_reason = serializers.CharField(source="progress.cancellation_reason")
    achievement_justification = serializers.CharField(source="progress.achievement_justification")
    health = HealthSerializer()

    def get_evidence_attachments(self, row) -> list[int]:
        return [a.pk for a in row.progress.evidence_attachments.all()]


class SpendingOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="realisation.pk")
    budget_line = serializers.IntegerField(source="line.pk")
    priority = serializers.IntegerField(source="line.priority_id")
    year = serializers.IntegerField(source="line.year")
    source = serializers.CharField(source="line.source.code")
    source_label = serializers.CharField(source="label")
    planned = MoneySerializerField(read_only=True, source="line.amount")
    realised = MoneySerializerField(read_only=True, allow_null=True, source="realisation.realised")
    committed = MoneySerializerField(read_only=True, allow_null=True, source="realisation.committed")
    note = serializers.CharField(source="realisation.note")


class PriorityBlockSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="priority.pk")
    title = serializers.CharField(source="priority.title")
    narrative = serializers.SerializerMethodField()
    planned_year = MoneySerializerField(read_only=True)
    realised_year = MoneySerializerField(read_only=True)
    committed_year = MoneySerializerField(read_only=True)
    planned_to_date = MoneySerializerField(read_only=True)
    realised_to_date = MoneySerializerField(read_only=True, help_text="Berekend: alle rapportages t/m dit jaar.")
    planned_total = MoneySerializerField(read_only=True)
    milestones = MilestoneProgressOutSerializer(many=True)
    spending = SpendingOutSerializer(many=True, source="lines")

    def get_narrative(self, block) -> str:
        return block.narrative.text if block.narrative else ""


class ProgressReportSerializer(serializers.ModelSerializer):
    agenda_title = serializers.CharField(source="agenda.title", read_only=True)
    region = serializers.CharField(source="agenda.alliance.region.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_late = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "agenda",
            "agenda_title",
            "region",
            "year",
            "status",
            "status_label",
            "is_late",
            "due_date",
            "opened_at",
            "submitted_at",
            "decided_at",
            "lock_version",
        ]

    def get_is_late(self, report) -> bool:
        return is_late(report)


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()
    comment = serializers.CharField()


class TotalsSerializer(serializers.Serializer):
    planned_year = MoneySerializerField(read_only=True)
    realised_year = MoneySerializerField(read_only=True)
    realised_to_date = MoneySerializerField(read_only=True)
    cofinancing_year = MoneySerializerField(read_only=True)
    cofinancing_to_date = MoneySerializerField(read_only=True)


class ProgressReportDetailSerializer(ProgressReportSerializer):
    priorities = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()

    class Meta(ProgressReportSerializer.Meta):
        fields = [
            *ProgressReportSerializer.Meta.fields,
            "overall_narrative",
            "risks",
            "mitigations",
            "decision_remarks",
            "priorities",
            "totals",
            "transitions",
        ]

    def _page(self, report):
        if not hasattr(self, "_page_cache"):
            self._page_cache = report_page(report)
        return self._page_cache

    @extend_schema_field(PriorityBlockSerializer(many=True))
    def get_priorities(self, report) -> list[dict]:
        return PriorityBlockSerializer(self._page(report).priorities, many=True).data

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, report) -> dict[str, str]:
        page = self._page(report)
        return {
            "planned_year": str(page.planned_year),
            "realised_year": str(page.realised_year),
            "realised_to_date": str(page.realised_to_date),
            "cofinancing_year": str(page.cofinancing_year),
            "cofinancing_to_date": str(page.cofinancing_to_date),
        }

    @extend_schema_field(TransitionSerializer(many=True))
    def get_transitions(self, report) -> list[dict]:
        return [
            {
                "action": t.action,
                "from_status": t.from_status,
                "to_status": t.to_status,
                "actor": str(t.actor) if t.actor else None,
                "at": t.at,
                "comment": t.comment,
            }
            for t in report.transitions.select_related("actor")
        ]


# --- input serializers (shape only; the services validate the values with Dutch messages) ---------------
class NumberOrText(serializers.CharField):
    """A number as JSON number or text ("12,5" is accepted); the service checks it."""

    accepts_numbers = True  # kansenagenda.api: other text fields refuse JSON numbers

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, allow_blank=True, required=False, **kwargs)


class MilestoneUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="id van de mijlpaalvoortgang (niet van de mijlpaal)")
    status = serializers.ChoiceField(choices=services.MS.choices, required=False)
    value_reached = NumberOrText(help_text="Bereikte waarde tot nu toe, in de eenheid van de mijlpaal.")
    evidence = serializers.CharField(required=False, allow_blank=True)
    cancellation_reason = serializers.CharField(required=False, allow_blank=True)
    achievement_justification = serializers.CharField(required=False, allow_blank=True)
    evidence_attachments = serializers.ListField(child=serializers.IntegerField(), required=False)


class SpendingUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="id van de realisatieregel")
    realised = MoneySerializerField(allow_negative=True, required=False, allow_null=True)
    committed = MoneySerializerField(allow_negative=True, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class NarrativeUpdateSerializer(serializers.Serializer):
    priority = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)


class ProgressReportUpdateSerializer(serializers.Serializer):
    lock_version = LockVersionSerializerField(help_text="De lock_version die u las; verouderd → 409.")
    overall_narrative = serializers.CharField(required=False, allow_blank=True)
    risks = serializers.CharField(required=False, allow_blank=True)
    mitigations = serializers.CharField(required=False, allow_blank=True)
    milestones = MilestoneUpdateSerializer(many=True, required=False)
    spending = SpendingUpdateSerializer(many=True, required=False)
    narratives = NarrativeUpdateSerializer(many=True, required=False)


class LockSerializer(serializers.Serializer):
    lock_version = LockVersionSerializerField(help_text="De lock_version die u las (verplicht); verouderd → 409.")


class RemarksSerializer(LockSerializer):
    remarks = serializers.CharField(required=False, allow_blank=True, help_text="Verplicht bij terugsturen.")


class ReasonSerializer(LockSerializer):
    reason = serializers.CharField(allow_blank=True)


class ReportCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = ProgressReportComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"body": {"allow_blank": True}}


# --- change requests ------------------------------------------------------------------------------------
class ChangeRequestItemSerializer(serializers.ModelSerializer):
    amount = MoneySerializerField(read_only=True, allow_null=True)

    class Meta:
        model = ChangeRequestItem
        fields = [
            "id",
            "kind",
            "from_line",
            "to_priority",
            "to_year",
            "amount",
            "milestone",
            "new_target_value",
            "new_target_year",
            "old_target_value",
            "old_target_year",
        ]


class ChangeRequestSerializer(serializers.ModelSerializer):
    items = ChangeRequestItemSerializer(many=True, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.CharField(source="requested_by.__str__", read_only=True)
    prepared_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    resulting_version = serializers.IntegerField(source="resulting_version.number", allow_null=True, read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "agenda",
            "reason",
            "status",
            "status_label",
            "route",
            "requested_by",
            "requested_at",
            "prepared_by",
            "prepared_at",
            "advised_outcome",
            "preparation_note",
            "decided_by",
            "decided_at",
            "decision_remarks",
            "resulting_version",
            "lock_version",
            "items",
        ]

    def get_prepared_by(self, obj) -> str | None:
        return str(obj.prepared_by) if obj.prepared_by_id else None

    def get_decided_by(self, obj) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None


class BudgetShiftInputSerializer(serializers.Serializer):
    from_line = serializers.IntegerField(help_text="id van de begrotingsregel waar het geld vandaan komt")
    to_priority = serializers.IntegerField()
    to_year = serializers.IntegerField()
    amount = MoneySerializerField(allow_negative=True, required=False, allow_null=True)


class MilestoneChangeInputSerializer(serializers.Serializer):
    milestone = serializers.IntegerField()
    new_target_value = NumberOrText()
    new_target_year = serializers.IntegerField(required=False, allow_null=True)


class ChangeRequestCreateSerializer(serializers.Serializer):
    agenda = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)
    budget_shifts = BudgetShiftInputSerializer(many=True, required=False)
    milestone_changes = MilestoneChangeInputSerializer(many=True, required=False)


class ChangeRequestDecisionSerializer(LockSerializer):
    outcome = serializers.ChoiceField(choices=ChangeRequest.Outcome.choices)
    remarks = serializers.CharField(required=False, allow_blank=True)


class PrepareSerializer(LockSerializer):
    advised_outcome = serializers.ChoiceField(choices=ChangeRequest.Outcome.choices)
    note = serializers.CharField(allow_blank=True)


# --- accountability figures -----------------------------------------------------------------------------
class AccountabilityRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    report_status = serializers.CharField()
    rijk_spending = MoneySerializerField(read_only=True)
    cumulative_rijk_spending = MoneySerializerField(read_only=True)
    total_spending = MoneySerializerField(read_only=True)
    cumulative_spending = MoneySerializerField(read_only=True)
    cofinancing = MoneySerializerField(read_only=True)
    cumulative_cofinancing = MoneySerializerField(read_only=True)
    measures_completed = serializers.IntegerField()
    units_delivered = serializers.DecimalField(max_digits=20, decimal_places=4)
