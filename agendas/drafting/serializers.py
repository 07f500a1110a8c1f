"""Serializers of the drafting API. They parse and present; every rule lives in agendas/drafting/services.py
(amounts, years, lengths and duplicates are validated there, with the same Dutch messages as the pages)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Alliance, Organisation
from agendas.drafting.comments import COMMENT_SECTIONS
from agendas.models import (
    Agenda,
    AgendaPartner,
    Attachment,
    BroadWelfareDimension,
    BudgetLine,
    Comment,
    FundingSource,
    Milestone,
    NationalProgramme,
    Priority,
    Theme,
)
from kansenagenda.locking import LockVersionSerializerField
from kansenagenda.money import MoneySerializerField


def Amount(**kwargs):  # noqa: N802 - reads like a field class
    """A money amount (kansenagenda.money API rule); the service checks the limits (≥ 0, ≤ € 10 miljard)."""
    return MoneySerializerField(allow_negative=True, **kwargs)


LockVersionField = LockVersionSerializerField  # the one lock rule (kansenagenda.locking)


# --- agenda ------------------------------------------------------------------------------------


class AgendaSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="alliance.region.name", read_only=True)
    region_id = serializers.IntegerField(source="alliance.region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    lock_version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agenda
        fields = [
            "id",
            "alliance",
            "region",
            "region_id",
            "title",
            "start_year",
            "end_year",
            "vision",
            "analysis",
            "baseline_notes",
            "low_cofinancing_justification",
            "status",
            "status_display",
            "shared_with_ministry",
            "current_version",
            "lock_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["alliance", "status", "shared_with_ministry", "current_version", "created_at", "updated_at"]


class AgendaCreateSerializer(serializers.Serializer):
    alliance = serializers.PrimaryKeyRelatedField(queryset=Alliance.objects.all())
    title = serializers.CharField(allow_blank=True)
    start_year = serializers.IntegerField(allow_null=True)
    end_year = serializers.IntegerField(allow_null=True)
    vision = serializers.CharField(required=False, allow_blank=True)
    analysis = serializers.CharField(required=False, allow_blank=True)
    baseline_notes = serializers.CharField(required=False, allow_blank=True)
    low_cofinancing_justification = serializers.CharField(required=False, allow_blank=True)


class AgendaUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True)
    start_year = serializers.IntegerField(required=False, allow_null=True)
    end_year = serializers.IntegerField(required=False, allow_null=True)
    vision = serializers.CharField(required=False, allow_blank=True)
    analysis = serializers.CharField(required=False, allow_blank=True)
    baseline_notes = serializers.CharField(required=False, allow_blank=True)
    low_cofinancing_justification = serializers.CharField(required=False, allow_blank=True)
    lock_version = LockVersionField()


class ShareSerializer(serializers.Serializer):
    shared = serializers.BooleanField(help_text="true: het concept delen met het ministerie; false: niet meer delen.")


# --- priorities, budget lines, milestones -------------------------------------------------------


class BudgetLineSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="code", queryset=FundingSource.objects.all())
    amount = Amount()
    agenda = serializers.IntegerField(source="priority.agenda_id", read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "agenda", "priority", "year", "source", "amount"]


class BudgetLineCreateSerializer(serializers.Serializer):
    priority = serializers.PrimaryKeyRelatedField(queryset=Priority.objects.all())
    year = serializers.IntegerField()
    source = serializers.SlugRelatedField(slug_field="code", queryset=FundingSource.objects.all())
    amount = Amount()
    lock_version = LockVersionField(help_text="lock_version van de prioriteit (een begrotingswijziging verhoogt die).")


class BudgetLineUpdateSerializer(serializers.Serializer):
    amount = Amount()
    lock_version = LockVersionField(help_text="lock_version van de prioriteit (een begrotingswijziging verhoogt die).")


class BudgetCellSerializer(serializers.Serializer):
    priority = serializers.IntegerField()
    year = serializers.IntegerField()
    # A code, resolved in one query for all cells by the view (a related field would query per cell).
    source = serializers.CharField(help_text="Code van de financieringsbron, bijvoorbeeld rijk-extra of provincie.")
    amount = Amount(
        allow_null=True, help_text="null of 0: geen begrotingsregel (een bestaande regel wordt verwijderd)."
    )


class BudgetGridSerializer(serializers.Serializer):
    lock_versions = serializers.DictField(
        child=LockVersionSerializerField(),
        help_text="Per prioriteit-id de lock_version waarop de cellen zijn gebaseerd (nodig voor elke gewijzigde prioriteit).",
    )
    cells = BudgetCellSerializer(many=True)


class BudgetGridResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()
    lock_versions = serializers.DictField(child=serializers.IntegerField())


class MilestoneSerializer(serializers.ModelSerializer):
    baseline_value = serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=True)
    target_value = serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=True)
    baseline_year = serializers.IntegerField()
    target_year = serializers.IntegerField()
    lock_version = LockVersionField(required=False)
    agenda = serializers.IntegerField(source="priority.agenda_id", read_only=True)
    type = serializers.CharField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "agenda",
            "priority",
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
            "lock_version",
        ]
        extra_kwargs = {
            "title": {"allow_blank": True, "max_length": None},
            "indicator_name": {"allow_blank": True, "max_length": None},
            "unit": {"allow_blank": True, "max_length": None},
            "measurement": {"max_length": None},
        }


class NestedMilestoneSerializer(MilestoneSerializer):
    class Meta(MilestoneSerializer.Meta):
        fields = [f for f in MilestoneSerializer.Meta.fields if f not in ("agenda", "priority")]


class NestedBudgetLineSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code", read_only=True)
    amount = Amount(read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "year", "source", "amount"]


class PrioritySerializer(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="code", queryset=Theme.objects.all(), allow_null=True)
    dimensions = serializers.SlugRelatedField(
        slug_field="code", queryset=BroadWelfareDimension.objects.all(), many=True, required=False
    )
    programmes = serializers.SlugRelatedField(
        slug_field="code", queryset=NationalProgramme.objects.all(), many=True, required=False
    )
    lead_partner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False
    )
    order = serializers.IntegerField(required=False, allow_null=True)
    lock_version = LockVersionField(required=False)

    class Meta:
        model = Priority
        fields = [
            "id",
            "agenda",
            "theme",
            "title",
            "goals",
            "dimensions",
            "theory_cause",
            "theory_action",
            "theory_conditions",
            "theory_expected_change",
            "lead_partner",
            "programmes",
            "order",
            "lock_version",
        ]
        extra_kwargs = {
            "title": {"allow_blank": True, "max_length": None},
            "goals": {"allow_blank": True, "max_length": None},
            **{
                f: {"max_length": None}
                for f in ("theory_cause", "theory_action", "theory_conditions", "theory_expected_change")
            },
        }


class PriorityDetailSerializer(PrioritySerializer):
    """A priority inside the agenda detail: with its milestones and budget lines."""

    milestones = NestedMilestoneSerializer(many=True, read_only=True)
    budget_lines = NestedBudgetLineSerializer(many=True, read_only=True)

    class Meta(PrioritySerializer.Meta):
        fields = [*PrioritySerializer.Meta.fields, "milestones", "budget_lines"]


class PartnerSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    commitment_amount = Amount(allow_null=True, required=False)
    commitment_type = serializers.CharField()
    lock_version = LockVersionField(required=False)

    class Meta:
        model = AgendaPartner
        fields = [
            "id",
            "agenda",
            "organisation",
            "organisation_name",
            "role",
            "commitment_type",
            "commitment",
            "commitment_amount",
            "lock_version",
        ]
        extra_kwargs = {
            "role": {"allow_blank": True, "max_length": None},
            "commitment": {"max_length": None},
        }


class BudgetSummarySerializer(serializers.Serializer):
    total = Amount()
    rijk_extra = Amount()
    cofinancing = Amount()
    cofinancing_ratio = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True, read_only=True)
    by_year = serializers.DictField(child=Amount())
    by_source = serializers.DictField(child=Amount(), help_text="Per financieringsbron (code).")
    by_priority = serializers.DictField(child=Amount(), help_text="Per prioriteit-id.")


class AgendaDetailSerializer(AgendaSerializer):
    priorities = PriorityDetailSerializer(many=True, read_only=True)
    partners = PartnerSerializer(many=True, read_only=True)
    budget = serializers.SerializerMethodField()

    class Meta(AgendaSerializer.Meta):
        fields = [*AgendaSerializer.Meta.fields, "priorities", "partners", "budget"]

    @extend_schema_field(BudgetSummarySerializer)
    def get_budget(self, agenda):
        summary = self.context["budget_summary"]
        codes = {s.pk: s.code for s in summary.sources}
        return BudgetSummarySerializer(
            {
                "total": summary.total,
                "rijk_extra": summary.rijk_extra,
                "cofinancing": summary.cofinancing,
                "cofinancing_ratio": summary.cofinancing_ratio,
                "by_year": {str(y): summary.by_year.get(y, 0) for y in agenda.years},
                "by_source": {codes.get(k, str(k)): v for k, v in summary.by_source.items()},
                "by_priority": {str(k): v for k, v in summary.by_priority.items()},
            }
        ).data


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    ok = serializers.BooleanField()
    message = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.SerializerMethodField()
    subject = serializers.CharField()
    action = serializers.CharField()
    changes = FieldChangeSerializer(many=True)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Leeg bij een wijziging door het systeem."))
    def get_user(self, entry):
        return str(entry.user) if entry.user else None


# --- comments and attachments ------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    section = serializers.ChoiceField(choices=list(COMMENT_SECTIONS.items()))
    body = serializers.CharField(allow_blank=True, max_length=None, trim_whitespace=False)

    class Meta:
        model = Comment
        fields = ["id", "agenda", "section", "priority", "parent", "author", "author_name", "body", "created_at"]
        read_only_fields = ["author", "created_at"]
        extra_kwargs = {"priority": {"queryset": Priority.objects.all()}, "parent": {"queryset": Comment.objects.all()}}

    @extend_schema_field(OpenApiTypes.STR)
    def get_author_name(self, comment):
        return str(comment.author)


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    uploaded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "agenda",
            "original_name",
            "description",
            "content_type",
            "size",
            "sha256",
            "scan_status",
            "uploaded_by",
            "uploaded_by_name",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment):
        from django.urls import reverse

        return reverse("attachment-download", args=[attachment.pk])

    @extend_schema_field(OpenApiTypes.STR)
    def get_uploaded_by_name(self, attachment):
        return str(attachment.uploaded_by)


class AttachmentUploadSerializer(serializers.Serializer):
    agenda = serializers.IntegerField()
    file = serializers.FileField(
        help_text="PDF, DOCX, XLSX, ODT of ODS; maximaal 20 MB; type wordt aan de inhoud herkend."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=None)
