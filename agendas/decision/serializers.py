"""Serializers of the decision API (shape only: the services hold the rules)."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from agendas.models import (
    Advice,
    Agenda,
    AgendaVersion,
    BroadWelfareDimension,
    Decision,
    Review,
    ReviewAssignment,
)
from kansenagenda.locking import LockVersionSerializerField
from kansenagenda.money import MoneySerializerField


# --- serializers -----------------------------------------------------------------------------------
class AgendaStateSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Agenda
        fields = ["id", "title", "status", "status_display", "current_version", "lock_version", "submitted_at"]


class TransitionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    lock_version = LockVersionSerializerField(
        help_text="lock_version van de agenda (uit de laatste GET). Verouderd → 409."
    )


class TransitionRecordSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    comment = serializers.CharField()
    version_number = serializers.IntegerField(allow_null=True)

    def get_actor(self, obj) -> str:
        return str(obj.actor) if obj.actor else "systeem"


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class AssignmentSerializer(serializers.ModelSerializer):
    reviewer = UserRefSerializer(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "agenda",
            "version",
            "reviewer",
            "status",
            "status_display",
            "due_date",
            "assigned_at",
            "declaration_at",
        ]


class AssignInputSerializer(serializers.Serializer):
    reviewer = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class DeclarationInputSerializer(serializers.Serializer):
    has_conflict = serializers.BooleanField()
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ScoreSerializer(serializers.Serializer):
    dimension = serializers.SlugRelatedField(
        slug_field="code", queryset=BroadWelfareDimension.objects.filter(active=True)
    )
    effect = serializers.IntegerField(min_value=-2, max_value=2, allow_null=True, required=False)
    confidence = serializers.CharField(allow_blank=True, required=False, default="")
    not_applicable = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Niet van toepassing: geen effect en geen zekerheid; de toelichting zegt waarom (verplicht).",
    )
    explanation = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class RemarkSerializer(serializers.Serializer):
    priority = serializers.IntegerField(source="priority_id", allow_null=True)
    remarks = serializers.CharField(allow_blank=True, max_length=10000)


class PointSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    priority = serializers.IntegerField(allow_null=True, required=False, default=None, source="priority_id")
    text = serializers.CharField(max_length=5000)
    answer = serializers.CharField(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    assignment = serializers.IntegerField(source="assignment_id", read_only=True)
    reviewer = serializers.CharField(source="assignment.reviewer", read_only=True)
    version = serializers.IntegerField(source="assignment.version.number", read_only=True)
    lock_version = LockVersionSerializerField()
    distribution_effects = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)
    verdict = serializers.ChoiceField(choices=Review.Verdict.choices, allow_blank=True, required=False, default="")
    recommendations = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)
    scores = ScoreSerializer(many=True, required=False)
    remarks = RemarkSerializer(many=True, required=False, source="priority_remarks")
    response_points = PointSerializer(many=True, required=False)
    submitted_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["scores"] = [
            {
                "dimension": s.dimension.code,
                "effect": s.effect,
                "confidence": s.confidence,
                "not_applicable": s.not_applicable,
                "explanation": s.explanation,
            }
            for s in instance.scores.all()
        ]
        return data


class AdviceSerializer(serializers.ModelSerializer):
    submit = serializers.BooleanField(write_only=True, default=False)
    author = serializers.CharField(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = Advice
        fields = ["id", "version", "author", "text", "recommendation", "submitted_at", "submit"]
        read_only_fields = ["id", "submitted_at"]


class YearAmountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    approved_amount = MoneySerializerField(allow_negative=True)


class DecisionParticipantSerializer(serializers.Serializer):
    name = serializers.CharField(source="user", read_only=True)
    role = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class DecisionSerializer(serializers.ModelSerializer):
    year_amounts = YearAmountSerializer(many=True, required=False)
    lock_version = LockVersionSerializerField(
        required=False, allow_null=True, help_text="Verplicht zodra er een nota is (lock_version van de nota)."
    )
    prepared_by = serializers.CharField(read_only=True)
    drafters = DecisionParticipantSerializer(
        many=True, read_only=True, help_text="Iedereen die de nota opstelde of herzag, in volgorde (vier ogen)."
    )
    signed_by = serializers.CharField(read_only=True, allow_null=True)
    sent_back_by = serializers.CharField(read_only=True, allow_null=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "version",
            "addressed_to",
            "sender",
            "reference",
            "date",
            "prepared_by",
            "drafters",
            "advised_decision",
            "core",
            "explanation",
            "review_summary",
            "actively_published",
            "conditions",
            "reasons",
            "year_amounts",
            "signed_by",
            "signed_at",
            "outcome",
            "sent_back_at",
            "sent_back_by",
            "sent_back_remarks",
            "lock_version",
        ]
        read_only_fields = ["id", "review_summary", "signed_at", "outcome", "sent_back_at", "sent_back_remarks"]
        extra_kwargs = {
            "addressed_to": {"required": False, "allow_blank": True},
            "sender": {"required": False, "allow_blank": True},
            "reference": {"required": False, "allow_blank": True},
            "date": {"required": False, "allow_null": True},
        }

    def validate(self, attrs):  # the service validates; the model's own validators would run early
        return attrs


class SignInputSerializer(serializers.Serializer):
    lock_version = LockVersionSerializerField()
    outcome = serializers.ChoiceField(
        choices=Decision.Outcome.choices,
        required=False,
        allow_blank=True,
        help_text="Leeg of weggelaten: het geadviseerde besluit. Een ander besluit vraagt een reason.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class SendBackInputSerializer(serializers.Serializer):
    lock_version = LockVersionSerializerField()
    remarks = serializers.CharField(max_length=10000, allow_blank=True, help_text="Verplicht: wat moet anders.")


class VersionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(read_only=True)

    class Meta:
        model = AgendaVersion
        fields = ["number", "reason", "created_at", "created_by"]


class VersionDetailSerializer(VersionSerializer):
    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "snapshot"]


class ChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class SectionDiffSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    changes = ChangeSerializer(many=True)
    children = serializers.SerializerMethodField()

    def get_children(self, obj) -> list[dict]:
        return SectionDiffSerializer(obj.children, many=True).data


class DiffSerializer(serializers.Serializer):
    old_number = serializers.IntegerField()
    new_number = serializers.IntegerField()
    has_changes = serializers.BooleanField()
    sections = SectionDiffSerializer(many=True)


class DiffParamsSerializer(serializers.Serializer):
    # "from" is a Python keyword: declared through the fields mapping
    def get_fields(self):
        return {"from": serializers.IntegerField(min_value=1), "to": serializers.IntegerField(min_value=1)}


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000, allow_blank=True)


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    agenda_id = serializers.IntegerField()
    agenda_title = serializers.CharField()
    url = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
