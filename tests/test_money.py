"""kansenagenda.money: the parser table (Dutch and English; good, ambiguous, bad), run against the parser, the API
rule and EVERY money field of every form and serializer in the project — discovered, so a new field cannot escape."""

from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from rest_framework import serializers

from kansenagenda import money

D = Decimal
PROJECT_PACKAGES = ("accounts", "agendas", "reports", "kansenagenda")

# text → (Dutch interface, English interface, API in Dutch, API in English).
# A Decimal is the value read; a string is the ValidationError code of the refusal; None is "empty".
CASES = [
    ("1.250.000,50", D("1250000.50"), "invalid", D("1250000.50"), "invalid"),
    ("1250000,50", D("1250000.50"), D("1250000.50"), D("1250000.50"), D("1250000.50")),
    ("0,10", D("0.10"), D("0.10"), D("0.10"), D("0.10")),
    ("€ 7.500", D("7500.00"), "max_decimal_places", D("7500.00"), "max_decimal_places"),
    ("7500,00", D("7500.00"), D("7500.00"), D("7500.00"), D("7500.00")),
    ("1.000.000,00", D("1000000.00"), "invalid", D("1000000.00"), "invalid"),
    ("280.000", D("280000.00"), "max_decimal_places", "max_decimal_places", "max_decimal_places"),
    ("0.105", "ambiguous", "ambiguous", "max_decimal_places", "max_decimal_places"),
    ("0,105", "ambiguous", "ambiguous", "ambiguous", "ambiguous"),
    ("1e13", "invalid", "invalid", "invalid", "invalid"),
    ("-1", "min_value", "min_value", "min_value", "min_value"),
    ("1,250,000.50", "invalid", D("1250000.50"), "invalid", D("1250000.50")),
    ("€1,250,000.50", "invalid", D("1250000.50"), "invalid", D("1250000.50")),
    ("1250000.50", D("1250000.50"), D("1250000.50"), D("1250000.50"), D("1250000.50")),
    ("12,345", "max_decimal_places", D("12345.00"), "max_decimal_places", D("12345.00")),
    ("€ 12,-", D("12.00"), "invalid", D("12.00"), "invalid"),
    ("1 250 000,50", D("1250000.50"), D("1250000.50"), D("1250000.50"), D("1250000.50")),
    ("12.5", D("12.50"), D("12.50"), D("12.50"), D("12.50")),
    ("1.25.000", "invalid", "invalid", "invalid", "invalid"),
    ("99999999999999", "max_digits", "max_digits", "max_digits", "max_digits"),
    ("abc", "invalid", "invalid", "invalid", "invalid"),
    ("NaN", "invalid", "invalid", "invalid", "invalid"),
    ("Infinity", "invalid", "invalid", "invalid", "invalid"),
    ("", None, None, None, None),
]
COLUMNS = {("nl", False): 1, ("en", False): 2, ("nl", True): 3, ("en", True): 4}


def expected(case, language: str, api: bool, allow_negative: bool = False):
    want = case[COLUMNS[(language, api)]]
    if want == "min_value" and allow_negative:
        return -D(case[0].lstrip("-")).quantize(money.CENT)  # the field reads it; the service refuses it
    return want


def outcome(call):
    try:
        return call()
    except ValidationError as exc:
        return exc.code
    except serializers.ValidationError as exc:
        codes = exc.get_codes()
        return codes[0] if isinstance(codes, list) else codes


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] or "empty" for c in CASES])
def test_parser_table(case, language):
    with translation.override(language):
        assert outcome(lambda: money.parse_amount(case[0])) == expected(case, language, api=False)
        assert outcome(lambda: money.parse_api_amount(case[0])) == expected(case, language, api=True)
    # an explicit language wins over the active one
    assert outcome(lambda: money.parse_amount(case[0], language=language)) == expected(case, language, api=False)


@pytest.mark.parametrize(
    ("value", "result"),
    [(7500.5, D("7500.50")), (1250000, D("1250000.00")), (0.1, D("0.10")), (1e13, "max_digits"), (-1, "min_value")]
    + [(0.105, "max_decimal_places"), (True, "invalid"), (D("12.345"), "max_decimal_places"), (None, None)],
)
def test_api_accepts_json_numbers(value, result):
    assert outcome(lambda: money.parse_api_amount(value)) == result


def test_messages_say_what_was_understood_and_how_to_write_it():
    with translation.override("nl"):
        with pytest.raises(ValidationError) as exc:
            money.parse_amount("0.105")
        assert "niet eenduidig" in exc.value.messages[0] and "€ 105,00" in exc.value.messages[0]
        with pytest.raises(ValidationError) as exc:
            money.parse_amount("1,250,000.50")
        assert "Bedoelt u € 1.250.000,50? Schrijf dat als 1250000,50." in exc.value.messages[0]
        with pytest.raises(ValidationError) as exc:
            money.parse_amount("12,345")
        assert "meer dan twee decimalen" in exc.value.messages[0] and "12,35" in exc.value.messages[0]
        with pytest.raises(ValidationError) as exc:
            money.parse_api_amount("280.000")
        message = exc.value.messages[0]
        assert "In de API is de punt het decimaalteken" in message and "280000" in message
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        money.parse_amount("1.250.000,50")
    assert "€1,250,000.50" in exc.value.messages[0]


def test_round_trip_of_input_values():
    for language in ("nl", "en"):
        for value in (D("0.00"), D("0.10"), D("7500.00"), D("1250000.50"), D("9999999999.99")):
            typed = money.format_amount_input(value, language=language)
            assert money.parse_amount(typed, language=language) == value
            shown = money.format_amount(value, language=language)
            assert money.parse_amount(shown, language=language) == value


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (D("1250000.5"), "€ 1.250.000,50", "€1,250,000.50"),
        (D("0.005"), "€ 0,01", "€0.01"),
        (D("-1234.5"), "€ -1.234,50", "-€1,234.50"),
        ("12714030.00", "€ 12.714.030,00", "€12,714,030.00"),
        (None, "–", "–"),
    ],
)
def test_format_amount(value, nl, en):
    assert money.format_amount(value, language="nl") == nl
    assert money.format_amount(value, language="en") == en
    with translation.override("en"):
        assert money.format_amount(value) == en


def test_format_ratio_and_percent():
    assert money.format_ratio(D("0.96"), language="nl") == "0,96 : 1"
    assert money.format_ratio(D("0.96"), language="en") == "0.96 : 1"
    assert money.format_ratio(D("0.999"), language="nl") == "0,99 : 1"  # never rounds up past the 1 : 1 bar
    assert money.format_ratio(None) == "–"
    assert money.format_percent(20, language="nl") == "20,0\u00a0%"
    assert money.format_percent(D("20.04"), language="en") == "20.0%"
    assert money.format_compact_amount(D("12714030"), language="nl") == "€ 12,7 mln"


def test_money_widget_is_never_a_number_input():
    html = money.MoneyField().widget.render("amount", D("7500"))
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="7500,00"' in html


# --- discovery: every money field of every form and serializer ---------------------------------------------------
def _import_project():
    for name in PROJECT_PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if ".migrations" in info.name or info.name.endswith(("wsgi", "asgi")) or ".settings" in info.name:
                continue
            importlib.import_module(info.name)


def _project_subclasses(base) -> list[type]:
    _import_project()
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PROJECT_PACKAGES:
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def money_model_fields() -> dict[tuple[type, str], models.DecimalField]:
    """Every stored amount: DecimalField with two decimals (ratios and quantities have other scales)."""
    out = {}
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in PROJECT_PACKAGES:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField) and field.decimal_places == money.DECIMAL_PLACES:
                out[(model, field.name)] = field
    return out


def money_names() -> set[str]:
    return {name for (_model, name) in money_model_fields()}


def _looks_like_money(name: str) -> bool:
    return name in money_names() or name.endswith("amount") or name.startswith("amount")


def form_violations(form: forms.BaseForm) -> list[str]:
    """A money input must be a MoneyField (text box, inputmode=decimal), never a DecimalField or type=number."""
    problems = []
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        model_money = False
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
                model_money = isinstance(model_field, models.DecimalField) and model_field.decimal_places == 2
            except Exception:  # noqa: BLE001 - a form-only field
                pass
        is_money = model_money or _looks_like_money(name)
        if isinstance(field, forms.DecimalField) and (is_money or field.decimal_places == 2):
            problems.append(f"{type(form).__name__}.{name}: DecimalField for money; use kansenagenda.money.MoneyField")
        elif is_money and not isinstance(field, money.MoneyField):
            problems.append(f"{type(form).__name__}.{name}: money without MoneyField ({type(field).__name__})")
        if isinstance(field, money.MoneyField) and getattr(field.widget, "input_type", "") == "number":
            problems.append(f"{type(form).__name__}.{name}: type=number for money")
    return problems


def _serializer_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        path = f"{prefix}{name}"
        if isinstance(field, serializers.ListSerializer):
            yield from _serializer_fields(field.child, f"{path}[].")
        elif isinstance(field, serializers.BaseSerializer):
            yield from _serializer_fields(field, f"{path}.")
        elif isinstance(field, (serializers.ListField, serializers.DictField)):
            yield f"{path}[]", field.child, name
        else:
            yield path, field, name


def serializer_violations(serializer) -> list[str]:
    problems = []
    for path, field, name in _serializer_fields(serializer):
        if field.read_only:
            continue
        if isinstance(field, serializers.DecimalField) and (_looks_like_money(name) or field.decimal_places == 2):
            problems.append(f"{type(serializer).__name__}.{path}: DecimalField for money; use MoneySerializerField")
        elif _looks_like_money(name) and not isinstance(field, money.MoneySerializerField):
            problems.append(f"{type(serializer).__name__}.{path}: money without MoneySerializerField")
    return problems


@pytest.fixture
def form_factories(db):
    """Forms whose fields depend on their arguments; a new such form must be added here (the test says so)."""
    from agendas.decision import forms as forms_workflow
    from agendas.decision.bulk_views import BulkAssignForm
    from agendas.drafting import forms as drafting_forms
    from agendas.drafting.commitment_views import CommitmentForm
    from agendas.models import Agenda
    from agendas.rijk import views as rijk_views
    from reports.forms import DashboardFilterForm
    from reports.selectors import reference_lists
    from tests.factories import AgendaFactory

    agenda = AgendaFactory()
    empty = SimpleNamespace(all=list)
    review = SimpleNamespace(
        lock_version=1, distribution_effects="", verdict="", recommendations="", scores=empty,
        priority_remarks=empty, response_points=empty,
    )  # fmt: skip
    return {
        DashboardFilterForm: lambda: DashboardFilterForm({}, reference_lists()),
        forms_workflow.CompareForm: lambda: forms_workflow.CompareForm(numbers=[1, 2]),
        forms_workflow.ReviewForm: lambda: forms_workflow.ReviewForm(
            review=review, priorities=[{"id": 1, "title": "Zorg"}]
        ),
        forms_workflow.DecisionForm: lambda: forms_workflow.DecisionForm(
            requested={2027: D("100000.00"), 2028: D("5.00")}, years=[2027, 2028], decision=None
        ),
        drafting_forms.PartnerForm: lambda: drafting_forms.PartnerForm(agenda=agenda),
        drafting_forms.PriorityForm: lambda: drafting_forms.PriorityForm(agenda=agenda),
        BulkAssignForm: lambda: BulkAssignForm(candidates=Agenda.objects.none()),
        CommitmentForm: lambda: CommitmentForm(agenda=agenda, organisation_ids=set()),
        rijk_views.CommitmentForm: lambda: rijk_views.CommitmentForm(agenda=agenda),
        rijk_views.EditCommitmentForm: lambda: rijk_views.EditCommitmentForm(agenda=agenda),
        rijk_views.ReportForm: lambda: rijk_views.ReportForm(years=[2027]),
    }


def all_forms(form_factories) -> list[forms.BaseForm]:
    instances = []
    for cls in _project_subclasses(forms.BaseForm):
        if issubclass(cls, forms.ModelForm) and cls._meta.model is None:
            continue  # an abstract base (ServiceValidatedForm); its concrete forms are checked
        if cls in form_factories:
            instances.append(form_factories[cls]())
            continue
        try:
            instances.append(cls())
        except TypeError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{cls.__module__}.{cls.__name__} needs arguments ({exc}); add it to form_factories")
    return instances


def all_serializers() -> list[serializers.BaseSerializer]:
    instances = []
    for cls in _project_subclasses(serializers.BaseSerializer):
        if issubclass(cls, serializers.ListSerializer):
            continue
        try:
            instances.append(cls())
        except Exception as exc:  # noqa: BLE001 - pragma: no cover
            pytest.fail(f"{cls.__module__}.{cls.__name__} cannot be built without arguments ({exc})")
    return instances


def test_every_stored_amount_is_known():
    names = money_names()
    assert {"amount", "commitment_amount", "realised", "committed", "approved_amount"} <= names


def test_no_money_field_escapes_in_forms(form_factories):
    problems = [p for form in all_forms(form_factories) for p in form_violations(form)]
    assert problems == []


def test_no_money_field_escapes_in_serializers():
    problems = [p for s in all_serializers() for p in serializer_violations(s)]
    assert problems == []


def test_the_checks_catch_a_plain_decimal_or_number_input():
    class Careless(forms.Form):
        amount = forms.DecimalField(max_digits=14, decimal_places=2)
        approved_amount = forms.CharField(widget=forms.NumberInput)

    class CarelessSerializer(serializers.Serializer):
        amount = serializers.DecimalField(max_digits=14, decimal_places=2)
        realised = serializers.CharField()

    assert len(form_violations(Careless())) == 2
    assert len(serializer_violations(CarelessSerializer())) == 2


def _discovered_form_fields(form_factories):
    return [
        (f"{type(form).__name__}.{name}", field)
        for form in all_forms(form_factories)
        for name, field in form.fields.items()
        if isinstance(field, money.MoneyField)
    ]


def _discovered_serializer_fields():
    return [
        (f"{type(s).__name__}.{path}", field)
        for s in all_serializers()
        for path, field, _name in _serializer_fields(s)
        if isinstance(field, money.MoneySerializerField) and not field.read_only
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_table_against_every_money_form_field(form_factories, language):
    fields = _discovered_form_fields(form_factories)
    assert {"DecisionForm.amount_2027", "PartnerForm.commitment_amount"} <= {name for name, _f in fields}
    failures = []
    with translation.override(language):
        for name, field in fields:
            for case in CASES:
                want = expected(case, language, api=False, allow_negative=field.allow_negative)
                if want is None and field.required:
                    want = "required"
                got = outcome(lambda f=field, t=case[0]: f.clean(t))
                if got != want:
                    failures.append(f"{name} {case[0]!r}: {got!r} ≠ {want!r}")
    assert failures == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_table_against_every_money_serializer_field(language):
    fields = _discovered_serializer_fields()
    names = {name for name, _f in fields}
    expected_fields = {
        "BudgetLineCreateSerializer.amount",
        "BudgetCellSerializer.amount",
        "PartnerSerializer.commitment_amount",
        "SpendingUpdateSerializer.realised",
        "SpendingUpdateSerializer.committed",
        "BudgetShiftInputSerializer.amount",
        "YearAmountSerializer.approved_amount",
    }
    assert expected_fields <= names, expected_fields - names
    failures = []
    with translation.override(language):
        for name, field in fields:
            for case in CASES:
                want = expected(case, language, api=True, allow_negative=field.allow_negative)
                if want is None and not field.allow_null:
                    want = "null"
                got = outcome(lambda f=field, t=case[0]: f.run_validation(t))
                if got != want:
                    failures.append(f"{name} {case[0]!r}: {got!r} ≠ {want!r}")
            for number, want in ((7500.5, D("7500.50")), (1250000, D("1250000.00"))):
                got = outcome(lambda f=field, n=number: f.run_validation(n))
                if got != want:
                    failures.append(f"{name} {number!r}: {got!r} ≠ {want!r}")
    assert failures == []


def test_nota_form_starts_from_the_requested_amounts(db):
    from agendas.decision.forms import DecisionForm

    form = DecisionForm(requested={2027: D("100000.00")}, years=[2027, 2028], decision=None)
    assert form.initial["amount_2027"] == D("100000.00") and "amount_2028" not in form.initial  # nothing asked
    assert 'value="100000,00"' in str(form["amount_2027"]) and 'inputmode="decimal"' in str(form["amount_2027"])
    assert "Gevraagd: € 100.000,00" in str(form.fields["amount_2027"].help_text)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.500", Decimal("1500")),
        ("12,5", Decimal("12.5")),
        ("165.0001", Decimal("165.0001")),  # one dot, not three digits behind it: a decimal point
        ("-3", Decimal("-3")),
        (12, Decimal("12")),
        (12.25, Decimal("12.25")),  # a JSON number keeps its machine reading
        ("", None),
    ],
)
def test_parse_number_reads_quantities_as_people_and_the_api_write_them(typed, expected):
    assert money.parse_number(typed, language="nl") == expected


@pytest.mark.parametrize("typed", ["veertig", "1,2,3", True, 1.23456, "12,34567"])
def test_parse_number_refuses_what_is_not_a_quantity(typed):
    with pytest.raises(ValidationError):
        money.parse_number(typed, language="nl")


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        (Decimal("-1"), "is negatief"),
        (Decimal("1.005"), "meer dan twee decimalen"),
        (Decimal("10000000000.01"), "10 miljard"),
        ("abc", "geen geldig bedrag"),
        (Decimal("NaN"), "geen geldig bedrag"),
    ],
)
def test_amount_problem_is_the_one_amount_rule(amount, fragment):
    problem = money.amount_problem(amount, what="Het bedrag")
    assert problem.startswith("Het bedrag") and fragment in problem
    assert money.amount_problem(Decimal("10000000000.00"), what="Het bedrag") is None


@pytest.mark.parametrize("huge", [Decimal("-5.341916945842205e+244"), Decimal("4.5e+40"), -5.341916945842205e244])
def test_huge_numbers_are_refused_not_a_server_error(huge):
    with pytest.raises(ValidationError):
        money.parse_api_amount(huge, allow_negative=True)
    assert money.amount_problem(abs(Decimal(str(huge))), what="Het bedrag") is not None
