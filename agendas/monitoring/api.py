"""Monitoring API: progress reports (with milestone updates and spending), their transitions, comments,
change requests and their transitions, accountability figures.

Every write calls the same service as the web pages, so the validation and its Dutch messages are the
same. Validation errors use the page's field names as keys, e.g. ``milestone-12-value_reached``,
``spending-40-realised``, ``narrative-3``, ``budget_shifts-0-amount``.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from agendas.models import ChangeRequest, ChangeRequestItem, ProgressReport, ProgressReportComment
from agendas.monitoring import change_requests as cr_services
from agendas.monitoring import services
from agendas.monitoring.selectors import accountability_figures, is_late, report_page
from agendas.permissions import progress_report_policy as policy
from agendas.workflow import CHANGE_REQUEST, PROGRESS_REPORT
from agendas.workflow.engine import available_actions_data
from kansenagenda.locking import LockVersionSerializerField
from kansenagenda.money import MoneySerializerField

AVAILABLE_ACTION = {
    "action": serializers.CharField(),
    "label": serializers.CharField(),
    "allowed": serializers.BooleanField(),
    "reasons": serializers.ListField(child=serializers.CharField()),
}


# --- serializers: progress reports ---------------------------------------------------------------------


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


# --- viewsets ------------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Voortgangsrapportages die u mag inzien",
        parameters=[
            OpenApiParameter("agenda", int, description="Alleen deze agenda"),
            OpenApiParameter("year", int, description="Alleen dit verslagjaar"),
            OpenApiParameter("status", str, description="open | submitted | returned | accepted"),
        ],
    ),
    retrieve=extend_schema(summary="Eén rapportage met mijlpalen, besteding, berekende cijfers en gezondheid"),
)
class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProgressReportSerializer
    filter_backends: list = []

    def get_queryset(self):
        qs = policy.visible(self.request.user).select_related("agenda__alliance__region").order_by("-year", "pk")
        params = self.request.query_params
        if params.get("agenda", "").isdigit():
            qs = qs.filter(agenda_id=params["agenda"])
        if params.get("year", "").isdigit():
            qs = qs.filter(year=params["year"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def get_serializer_class(self):
        return ProgressReportDetailSerializer if self.action == "retrieve" else ProgressReportSerializer

    def get_object(self):
        return policy.get_for(self.request.user, self.kwargs["pk"])

    def _detail(self, report, code=status.HTTP_200_OK):
        report = policy.get_for(self.request.user, report.pk)
        return Response(ProgressReportDetailSerializer(report).data, status=code)

    @extend_schema(
        summary="Acties die ik nu op deze rapportage kan doen (met redenen als het nog niet kan)",
        responses=inline_serializer("ProgressReportAvailableAction", AVAILABLE_ACTION, many=True),
    )
    @action(detail=True, methods=["get"])
    def actions(self, request, pk=None):
        report = policy.get_for(request.user, pk)
        return Response(available_actions_data(PROGRESS_REPORT, request.user, report))

    @extend_schema(
        request=ProgressReportUpdateSerializer,
        responses=ProgressReportDetailSerializer,
        summary="Rapportage invullen (mijlpalen, besteding, toelichtingen); alleen wat u meestuurt verandert",
    )
    def partial_update(self, request, pk=None):
        report = policy.get_for(request.user, pk, policy.EDIT)
        data = ProgressReportUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = services.progress_report_save(
            report=report,
            actor=request.user,
            lock_version=v["lock_version"],
            report_fields={k: v[k] for k in services.REPORT_TEXT_FIELDS if k in v},
            milestones={m.pop("id"): m for m in v.get("milestones", [])},
            spending={s.pop("id"): s for s in v.get("spending", [])},
            narratives={n["priority"]: n["text"] for n in v.get("narratives", [])},
        )
        return self._detail(report)

    @extend_schema(request=LockSerializer, responses=ProgressReportDetailSerializer, summary="Indienen (coördinator)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = policy.get_for(request.user, pk, policy.SUBMIT)
        body = LockSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.progress_report_submit(
            report=report, actor=request.user, lock_version=body.validated_data.get("lock_version")
        )
        return self._detail(report)

    @extend_schema(
        request=RemarksSerializer,
        responses=ProgressReportDetailSerializer,
        summary="Accepteren (rijksvertegenwoordiger)",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = policy.get_for(request.user, pk, policy.DECIDE)
        body = RemarksSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.progress_report_accept(
            report=report,
            actor=request.user,
            remarks=body.validated_data.get("remarks", ""),
            lock_version=body.validated_data.get("lock_version"),
        )
        return self._detail(report)

    @extend_schema(
        request=RemarksSerializer,
        responses=ProgressReportDetailSerializer,
        summary="Terugsturen met opmerkingen (rijksvertegenwoordiger)",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        report = policy.get_for(request.user, pk, policy.DECIDE)
        body = RemarksSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.progress_report_return(
            report=report,
            actor=request.user,
            remarks=body.validated_data.get("remarks", ""),
            lock_version=body.validated_data.get("lock_version"),
        )
        return self._detail(report)

    @extend_schema(
        request=ReasonSerializer, responses=ProgressReportDetailSerializer, summary="Heropenen met reden (ministerie)"
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        report = policy.get_for(request.user, pk, policy.REOPEN)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.progress_report_reopen(
            report=report,
            actor=request.user,
            reason=body.validated_data["reason"],
            lock_version=body.validated_data.get("lock_version"),
        )
        return self._detail(report)

    @extend_schema(
        methods=["get"],
        responses=ReportCommentSerializer(many=True),
        summary="Reacties van alliantieleden",
        request=None,
    )
    @extend_schema(methods=["post"], request=ReportCommentSerializer, responses={201: ReportCommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        if request.method == "GET":
            report = policy.get_for(request.user, pk)
            return Response(ReportCommentSerializer(report.comments.select_related("author"), many=True).data)
        report = policy.get_for(request.user, pk, policy.COMMENT)
        data = ReportCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)  # {"body": 5} or a JSON array: 400, never a str() of it or a 500
        comment = services.progress_report_comment(
            report=report, actor=request.user, body=data.validated_data.get("body", "")
        )
        return Response(ReportCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


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


@extend_schema_view(
    list=extend_schema(
        summary="Wijzigingsverzoeken die u mag inzien",
        parameters=[OpenApiParameter("agenda", int), OpenApiParameter("status", str)],
    ),
    retrieve=extend_schema(summary="Eén wijzigingsverzoek"),
)
class ChangeRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ChangeRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        qs = (
            policy.visible_change_requests(self.request.user)
            .select_related("requested_by", "prepared_by", "decided_by", "resulting_version")
            .prefetch_related("items")
            .order_by("-requested_at", "-pk")
        )
        params = self.request.query_params
        if params.get("agenda", "").isdigit():
            qs = qs.filter(agenda_id=params["agenda"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def get_object(self):
        return policy.get_change_request_for(self.request.user, self.kwargs["pk"])

    def _out(self, change_request, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=change_request.pk)
        return Response(ChangeRequestSerializer(fresh).data, status=code)

    @extend_schema(
        request=ChangeRequestCreateSerializer,
        responses={201: ChangeRequestSerializer},
        summary="Wijziging aanvragen (coördinator van een lopende agenda)",
    )
    def create(self, request):
        body = ChangeRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        agenda = policy.get_agenda_for(request.user, v["agenda"], policy.REQUEST_CHANGE)
        change_request = cr_services.change_request_create(
            agenda=agenda,
            actor=request.user,
            reason=v["reason"],
            budget_shifts=[dict(s) for s in v.get("budget_shifts", [])],
            milestone_changes=[dict(c) for c in v.get("milestone_changes", [])],
        )
        return self._out(change_request, status.HTTP_201_CREATED)

    @extend_schema(
        request=ChangeRequestDecisionSerializer,
        responses=ChangeRequestSerializer,
        summary="Besluit kleine wijziging (rijksvertegenwoordiger)",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        change_request = policy.get_change_request_for(request.user, pk, policy.DECIDE_CHANGE)
        body = ChangeRequestDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        change_request = cr_services.change_request_decide(
            change_request=change_request,
            actor=request.user,
            outcome=v["outcome"],
            remarks=v.get("remarks", ""),
            lock_version=v.get("lock_version"),
        )
        return self._out(change_request)

    @extend_schema(
        request=PrepareSerializer,
        responses=ChangeRequestSerializer,
        summary="Grote wijziging voorbereiden (BZK-medewerker)",
    )
    @action(detail=True, methods=["post"])
    def prepare(self, request, pk=None):
        change_request = policy.get_change_request_for(request.user, pk, policy.PREPARE_CHANGE)
        body = PrepareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        change_request = cr_services.change_request_prepare(
            change_request=change_request,
            actor=request.user,
            advised_outcome=v["advised_outcome"],
            note=v["note"],
            lock_version=v.get("lock_version"),
        )
        return self._out(change_request)

    @extend_schema(
        request=ChangeRequestDecisionSerializer,
        responses=ChangeRequestSerializer,
        summary="Grote wijziging besluiten (BZK-ondertekenaar, niet de voorbereider)",
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        change_request = policy.get_change_request_for(request.user, pk)  # four eyes is refused by the service
        body = ChangeRequestDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        change_request = cr_services.change_request_sign(
            change_request=change_request,
            actor=request.user,
            outcome=v["outcome"],
            remarks=v.get("remarks", ""),
            lock_version=v.get("lock_version"),
            second_factor_verified=request.user.is_verified() if hasattr(request.user, "is_verified") else False,
        )
        return self._out(change_request)

    @extend_schema(
        summary="Acties die ik nu op dit wijzigingsverzoek kan doen (met redenen als het nog niet kan)",
        responses=inline_serializer("ChangeRequestAvailableAction", AVAILABLE_ACTION, many=True),
    )
    @action(detail=True, methods=["get"])
    def actions(self, request, pk=None):
        change_request = policy.get_change_request_for(request.user, pk)
        return Response(available_actions_data(CHANGE_REQUEST, request.user, change_request))

    @extend_schema(request=LockSerializer, responses=ChangeRequestSerializer, summary="Verzoek intrekken (coördinator)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        change_request = policy.get_change_request_for(request.user, pk, policy.WITHDRAW_CHANGE)
        body = LockSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change_request = cr_services.change_request_withdraw(
            change_request=change_request, actor=request.user, lock_version=body.validated_data.get("lock_version")
        )
        return self._out(change_request)


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


class AccountabilityFiguresView(APIView):
    @extend_schema(
        responses=AccountabilityRowSerializer(many=True),
        summary="Verantwoordingscijfers per jaar (SiSa/SPUK), berekend uit de voortgangsrapportages",
    )
    def get(self, request, agenda_pk: int):
        agenda = policy.get_agenda_for(request.user, agenda_pk)
        return Response(AccountabilityRowSerializer(accountability_figures(agenda), many=True).data)


def register(router) -> None:
    """Register this module's viewsets on the /api/v1/ router."""
    router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
    router.register("change-requests", ChangeRequestViewSet, basename="change-request")


urlpatterns = [
    path(
        "agendas/<int:agenda_pk>/accountability-figures/",
        AccountabilityFiguresView.as_view(),
        name="api-accountability-figures",
    ),
]
