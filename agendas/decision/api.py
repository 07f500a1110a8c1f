"""Workflow API: transitions, reviewer assignments, reviews, advice, decisions, versions + diff, inbox.

Thin views: fetch-and-authorise through the policies (404 when not visible), then call the same services
as the pages. Refusals come back as ``TransitionRefused`` → 409 (wrong state / guard) or 403 (wrong role or
person) in the one error format of kansenagenda.api.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.accesslog.services import Purpose, record_access
from agendas import workflow
from agendas.decision import services
from agendas.decision import signoff as signoff_services
from agendas.decision import versions as version_services
from agendas.decision.selectors import transition_history
from agendas.decision.serializers import (
    AdviceSerializer,
    AgendaStateSerializer,
    AnswerInputSerializer,
    DecisionSerializer,
    DiffParamsSerializer,
    DiffSerializer,
    InboxItemSerializer,
    PointSerializer,
    SendBackInputSerializer,
    SignInputSerializer,
    TransitionInputSerializer,
    TransitionRecordSerializer,
    VersionDetailSerializer,
    VersionSerializer,
)
from agendas.inbox.selectors import inbox_items
from agendas.models import (
    Advice,
    Agenda,
    AgendaVersion,
    Decision,
    ResponsePoint,
)
from agendas.permissions import agenda_policy, workflow_policy
from agendas.workflow.engine import available_actions_data

TAG = ["workflow"]


# --- helpers ---------------------------------------------------------------------------------------
def _agenda(request, pk) -> Agenda:
    return agenda_policy.get_for(request.user, pk)


def _state(agenda: Agenda) -> Response:
    agenda.refresh_from_db()
    return Response(AgendaStateSerializer(agenda).data)


# --- transitions on the agenda ----------------------------------------------------------------------
def _transition_input(request) -> dict:
    data = TransitionInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class SubmitView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Agenda indienen",
        description="Coördinator van de alliantie. Controleert de checklist (409 met de ontbrekende punten) en, na "
        "terugsturen, of elk punt uit de beoordeling is beantwoord; legt een genummerde versie vast.",
        request=TransitionInputSerializer,
        responses={200: AgendaStateSerializer},
    )
    def post(self, request, pk):
        agenda = _agenda(request, pk)
        v = _transition_input(request)
        services.agenda_submit(agenda=agenda, actor=request.user, comment=v["comment"], lock_version=v["lock_version"])
        return _state(agenda)


class WithdrawView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Indiening intrekken",
        description="Coördinator, zolang er geen beoordelaars zijn toegewezen.",
        request=TransitionInputSerializer,
        responses={200: AgendaStateSerializer},
    )
    def post(self, request, pk):
        agenda = _agenda(request, pk)
        v = _transition_input(request)
        services.agenda_withdraw(
            agenda=agenda, actor=request.user, comment=v["comment"], lock_version=v["lock_version"]
        )
        return _state(agenda)


class CloseView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Agenda afsluiten",
        description="BZK-medewerker, voor een lopende agenda vanaf het laatste jaar van de looptijd.",
        request=TransitionInputSerializer,
        responses={200: AgendaStateSerializer},
    )
    def post(self, request, pk):
        agenda = _agenda(request, pk)
        v = _transition_input(request)
        services.agenda_close(agenda=agenda, actor=request.user, comment=v["comment"], lock_version=v["lock_version"])
        return _state(agenda)


class TransitionsView(APIView):
    @extend_schema(tags=TAG, summary="Statusovergangen van een agenda", responses=TransitionRecordSerializer(many=True))
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        return Response(TransitionRecordSerializer(transition_history(agenda), many=True).data)


# --- advice ----------------------------------------------------------------------------------------
class AdviceView(APIView):
    @extend_schema(tags=TAG, summary="Advies rijksvertegenwoordiger", responses=AdviceSerializer(many=True))
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        advices = Advice.objects.filter(agenda=agenda).select_related("author", "version").order_by("version__number")
        return Response(
            AdviceSerializer(
                [a for a in advices if workflow_policy.can_see_advice(request.user, agenda, a)], many=True
            ).data
        )

    @extend_schema(
        tags=TAG,
        summary="Advies opslaan of uitbrengen",
        description="Rijksvertegenwoordiger van de regio. submit=true brengt het advies uit (daarna vast).",
        request=AdviceSerializer,
        responses=AdviceSerializer,
    )
    def put(self, request, pk):
        agenda = _agenda(request, pk)
        data = AdviceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        advice = services.advice_save(
            agenda=agenda, actor=request.user, text=v["text"], recommendation=v["recommendation"], submit=v["submit"]
        )
        return Response(AdviceSerializer(advice).data)


# --- decision --------------------------------------------------------------------------------------
def _current_decision(agenda):
    return (
        Decision.objects.filter(agenda=agenda, version__number=agenda.current_version)
        .select_related("prepared_by", "signed_by", "version")
        .prefetch_related("year_amounts", "participants__user")
        .first()
    )


class DecisionView(APIView):
    @extend_schema(tags=TAG, summary="Besluit (nota) over de laatste versie", responses=DecisionSerializer)
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        decision = _current_decision(agenda)
        if decision is None or not workflow_policy.can_see_decision(request.user, agenda, decision):
            from django.http import Http404

            raise Http404
        record_access(request=request, obj=decision, purpose=Purpose.DECISION, agenda_id=agenda.pk)
        return Response(DecisionSerializer(decision).data)

    @extend_schema(
        tags=TAG,
        summary="Besluit voorbereiden (nota ter besluitvorming)",
        description="BZK-medewerker. De samenvatting van de beoordelingen wordt automatisch ingevuld. Toegekende "
        "rijksbijdrage per jaar nooit hoger dan gevraagd (400 met het jaar).",
        request=DecisionSerializer,
        responses=DecisionSerializer,
    )
    def put(self, request, pk):
        agenda = _agenda(request, pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        signoff_services.decision_prepare(
            agenda=agenda,
            actor=request.user,
            advised_decision=v.get("advised_decision", ""),
            core=v.get("core", ""),
            explanation=v.get("explanation", ""),
            addressed_to=v.get("addressed_to", ""),
            sender=v.get("sender", ""),
            reference=v.get("reference", ""),
            date=v.get("date"),
            actively_published=v.get("actively_published", False),
            conditions=v.get("conditions", ""),
            reasons=v.get("reasons", ""),
            year_amounts={ya["year"]: ya["approved_amount"] for ya in v.get("year_amounts", [])},
            lock_version=v.get("lock_version"),
        )
        return Response(DecisionSerializer(_current_decision(agenda)).data)


class SignView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Besluit ondertekenen",
        description="BZK-ondertekenaar die de nota niet zelf opstelde (vier ogen, anders 403). Vraagt een "
        "geverifieerde tweede factor in de sessie wanneer die verplicht is (403). Twee tegelijk: één besluit, "
        "de ander krijgt 409. Zonder `outcome` het geadviseerde besluit; een ander besluit (`outcome`) vraagt "
        "een `reason` (anders 409 met code `deviation_reason`).",
        request=SignInputSerializer,
        responses=DecisionSerializer,
    )
    def post(self, request, pk):
        agenda = _agenda(request, pk)
        data = SignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        verified = bool(getattr(request.user, "is_verified", lambda: False)())
        signoff_services.decision_sign(
            agenda=agenda,
            actor=request.user,
            second_factor_verified=verified,
            lock_version=data.validated_data["lock_version"],
            outcome=data.validated_data.get("outcome", ""),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(DecisionSerializer(_current_decision(agenda)).data)


class SendBackView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Nota terugsturen naar de opsteller",
        description="BZK-ondertekenaar stuurt de nota met opmerkingen terug in plaats van te ondertekenen (stap "
        "`send_back_decision` in de tabel; de agenda blijft wachten op een besluit, de opsteller krijgt bericht). "
        "Opmerkingen verplicht (409 `remarks_required`); andere rollen 403; verouderde `lock_version` 409.",
        request=SendBackInputSerializer,
        responses=DecisionSerializer,
    )
    def post(self, request, pk):
        agenda = _agenda(request, pk)
        data = SendBackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signoff_services.decision_send_back(
            agenda=agenda,
            actor=request.user,
            remarks=data.validated_data["remarks"],
            lock_version=data.validated_data["lock_version"],
        )
        return Response(DecisionSerializer(_current_decision(agenda)).data)


# --- versions --------------------------------------------------------------------------------------
class VersionsView(APIView):
    @extend_schema(tags=TAG, summary="Versies van een agenda", responses=VersionSerializer(many=True))
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        versions = AgendaVersion.objects.filter(agenda=agenda).select_related("created_by").defer("snapshot")
        return Response(VersionSerializer(versions.order_by("number"), many=True).data)


class VersionDetailView(APIView):
    @extend_schema(tags=TAG, summary="Eén versie (inhoud zoals ingediend)", responses=VersionDetailSerializer)
    def get(self, request, pk, number):
        agenda = _agenda(request, pk)
        version = get_object_or_404(AgendaVersion.objects.select_related("created_by"), agenda=agenda, number=number)
        return Response(VersionDetailSerializer(version).data)


class VersionDiffView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Twee versies vergelijken",
        parameters=[
            OpenApiParameter("from", int, required=True, description="oud versienummer"),
            OpenApiParameter("to", int, required=True, description="nieuw versienummer"),
        ],
        responses=DiffSerializer,
    )
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        params = DiffParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        old = get_object_or_404(AgendaVersion, agenda=agenda, number=params.validated_data["from"])
        new = get_object_or_404(AgendaVersion, agenda=agenda, number=params.validated_data["to"])
        return Response(DiffSerializer(version_services.diff_versions(old, new)).data)


# --- response points -------------------------------------------------------------------------------
class ResponsePointsView(APIView):
    @extend_schema(tags=TAG, summary="Punten waarop een reactie nodig is", responses=PointSerializer(many=True))
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        points = ResponsePoint.objects.filter(
            review__in=workflow_policy.visible_reviews(request.user, agenda).filter(submitted_at__isnull=False)
        ).order_by("pk")
        return Response(PointSerializer(points, many=True).data)


class AnswerPointView(APIView):
    @extend_schema(tags=TAG, summary="Punt beantwoorden", request=AnswerInputSerializer, responses=PointSerializer)
    def post(self, request, point_pk):
        point = get_object_or_404(ResponsePoint.objects.select_related("review__assignment"), pk=point_pk)
        agenda = _agenda(request, point.review.assignment.agenda_id)
        if not workflow_policy.visible_reviews(request.user, agenda).filter(pk=point.review_id).exists():
            from django.http import Http404

            raise Http404
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        point = services.response_point_answer(point=point, actor=request.user, answer=data.validated_data["answer"])
        return Response(PointSerializer(point).data)


# --- inbox -----------------------------------------------------------------------------------------
class InboxView(APIView):
    @extend_schema(tags=TAG, summary="Mijn taken", responses=InboxItemSerializer(many=True))
    def get(self, request):
        return Response(InboxItemSerializer(inbox_items(request.user), many=True).data)


class ActionsView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Acties die ik nu op deze agenda kan doen",
        responses=inline_serializer(
            "AvailableAction",
            {
                "action": serializers.CharField(),
                "label": serializers.CharField(),
                "allowed": serializers.BooleanField(),
                "reasons": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
    )
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        return Response(available_actions_data(workflow.AGENDA, request.user, agenda))


def register(router) -> None:
    """The transition endpoints are plain views (below); nothing to register on the router."""


urlpatterns = [
    path("agendas/<int:pk>/submit", SubmitView.as_view(), name="api-agenda-submit"),
    path("agendas/<int:pk>/withdraw", WithdrawView.as_view(), name="api-agenda-withdraw"),
    path("agendas/<int:pk>/close", CloseView.as_view(), name="api-agenda-close"),
    path("agendas/<int:pk>/transitions", TransitionsView.as_view(), name="api-agenda-transitions"),
    path("agendas/<int:pk>/actions", ActionsView.as_view(), name="api-agenda-actions"),
    path("agendas/<int:pk>/advice", AdviceView.as_view(), name="api-agenda-advice"),
    path("agendas/<int:pk>/decision", DecisionView.as_view(), name="api-agenda-decision"),
    path("agendas/<int:pk>/decision/sign", SignView.as_view(), name="api-agenda-decision-sign"),
    path("agendas/<int:pk>/decision/send-back", SendBackView.as_view(), name="api-agenda-decision-send-back"),
    path("agendas/<int:pk>/versions", VersionsView.as_view(), name="api-agenda-versions"),
    path("agendas/<int:pk>/versions/diff", VersionDiffView.as_view(), name="api-agenda-versions-diff"),
    path("agendas/<int:pk>/versions/<int:number>", VersionDetailView.as_view(), name="api-agenda-version"),
    path("agendas/<int:pk>/response-points", ResponsePointsView.as_view(), name="api-agenda-response-points"),
    path("response-points/<int:point_pk>/answer", AnswerPointView.as_view(), name="api-response-point-answer"),
    path("inbox", InboxView.as_view(), name="api-inbox"),
]
