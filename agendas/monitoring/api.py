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
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from agendas.monitoring import change_requests as cr_services
from agendas.monitoring import services
from agendas.monitoring import transitions as report_transitions
from agendas.monitoring.selectors import accountability_figures
from agendas.monitoring.serializers import (
    AccountabilityRowSerializer,
    ChangeRequestCreateSerializer,
    ChangeRequestDecisionSerializer,
    ChangeRequestSerializer,
    LockSerializer,
    PrepareSerializer,
    ProgressReportDetailSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReasonSerializer,
    RemarksSerializer,
    ReportCommentSerializer,
)
from agendas.permissions import progress_report_policy as policy
from agendas.workflow import CHANGE_REQUEST, PROGRESS_REPORT
from agendas.workflow.engine import available_actions_data

AVAILABLE_ACTION = {
    "action": serializers.CharField(),
    "label": serializers.CharField(),
    "allowed": serializers.BooleanField(),
    "reasons": serializers.ListField(child=serializers.CharField()),
}


# --- serializers: progress reports ---------------------------------------------------------------------


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
        report = report_transitions.progress_report_submit(
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
        report = report_transitions.progress_report_accept(
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
        report = report_transitions.progress_report_return(
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
        report = report_transitions.progress_report_reopen(
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
        comment = report_transitions.progress_report_comment(
            report=report, actor=request.user, body=data.validated_data.get("body", "")
        )
        return Response(ReportCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


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
        "agendas/<int:agenda_pk>/accountability-figures",
        AccountabilityFiguresView.as_view(),
        name="api-accountability-figures",
    ),
]
