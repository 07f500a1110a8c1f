"""Boundary tests for THE milestone health rule (agendas.health.milestone_health)."""

from decimal import Decimal as D

import pytest

from agendas.health import Health, milestone_health

RISING = {"baseline_value": D("0"), "baseline_year": 2026, "target_value": D("100"), "target_year": 2030}
FALLING = {"baseline_value": D("100"), "baseline_year": 2026, "target_value": D("50"), "target_year": 2030}


def health(base=RISING, **kwargs):
    return milestone_health(**base, **kwargs)


@pytest.mark.parametrize(
    ("report_year", "value", "expected"),
    [
        # 2028 is halfway 2026→2030: the plan expects 50 %
        (2028, D("40"), Health.ON_TRACK),  # exactly 10 points behind: still on track
        (2028, D("39.99"), Health.AT_RISK),  # just over 10 points behind
        (2028, D("50"), Health.ON_TRACK),
        (2028, D("99.9999"), Health.ON_TRACK),
        (2028, D("100"), Health.ACHIEVED),  # target met early
        (2028, D("130"), Health.ACHIEVED),
        (2029, D("65"), Health.ON_TRACK),  # plan 75 %, 10 behind
        (2029, D("64.9"), Health.AT_RISK),
        (2029, D("99"), Health.ON_TRACK),  # the year before the target year: not delayed yet
        (2030, D("99"), Health.DELAYED),  # target year reached, target not met
        (2030, D("100"), Health.ACHIEVED),
        (2031, D("10"), Health.DELAYED),
        (2026, None, Health.ON_TRACK),  # baseline year, nothing expected yet
        (2025, None, Health.ON_TRACK),  # before the baseline year: plan clipped to 0 %
        (2027, None, Health.AT_RISK),  # no value = baseline; plan 25 %
        (2027, D("15"), Health.ON_TRACK),  # plan 25 %, 10 behind
        (2027, D("-5"), Health.AT_RISK),  # went backwards
    ],
)
def test_rising_target(report_year, value, expected):
    assert health(report_year=report_year, value_reached=value).code == expected


@pytest.mark.parametrize(
    ("report_year", "value", "expected"),
    [
        (2028, D("80"), Health.ON_TRACK),  # progress 40 % vs plan 50 %: exactly 10 points
        (2028, D("80.01"), Health.AT_RISK),
        (2028, D("50"), Health.ACHIEVED),  # falling target: reaching it means going down to 50
        (2028, D("40"), Health.ACHIEVED),
        (2030, D("50.01"), Health.DELAYED),
        (2029, D("120"), Health.AT_RISK),
    ],
)
def test_falling_target(report_year, value, expected):
    assert health(FALLING, report_year=report_year, value_reached=value).code == expected


def test_reported_achieved_counts_even_below_target():
    # the service only allows this with a justification; the rule trusts the reported status
    assert health(report_year=2031, value_reached=D("80"), reported_status="achieved").code == Health.ACHIEVED


def test_cancelled_wins_over_everything():
    assert health(report_year=2031, value_reached=D("100"), reported_status="cancelled").code == Health.CANCELLED


@pytest.mark.parametrize("status", ["not_started", "on_track", "at_risk", "delayed"])
def test_other_reported_statuses_do_not_change_the_computed_health(status):
    assert health(report_year=2028, value_reached=D("50"), reported_status=status).code == Health.ON_TRACK


@pytest.mark.parametrize(
    ("spent", "planned", "expected"),
    [
        (D("60"), D("100"), Health.ON_TRACK),  # spending 60 % vs progress 50 %: exactly 10 points ahead
        (D("60.01"), D("100"), Health.AT_RISK),  # just over
        (D("100"), D("100"), Health.AT_RISK),
        (D("0"), D("100"), Health.ON_TRACK),
        (D("1000"), D("0"), Health.ON_TRACK),  # no plan: the spending part does not apply
        (D("1000"), None, Health.ON_TRACK),
        (None, D("100"), Health.ON_TRACK),
    ],
)
def test_spending_running_ahead_of_progress(spent, planned, expected):
    assert health(report_year=2028, value_reached=D("50"), spent=spent, planned=planned).code == expected


def test_delayed_takes_precedence_over_spending_and_lag():
    assert health(report_year=2030, value_reached=D("0"), spent=D("100"), planned=D("100")).code == Health.DELAYED


def test_target_year_equal_to_baseline_year():
    base = {**RISING, "target_year": 2026}
    assert health(base, report_year=2025, value_reached=None).code == Health.ON_TRACK
    assert health(base, report_year=2026, value_reached=D("50")).code == Health.DELAYED


def test_result_carries_numbers_and_a_dutch_text_label():
    result = health(report_year=2028, value_reached=D("30"), spent=D("20"), planned=D("100"))
    assert result.code == Health.AT_RISK
    assert result.label == "Risico"
    assert result.progress_pct == D("30.0")
    assert result.expected_pct == D("50.0")
    assert result.spending_pct == D("20.0")
    assert "30.0%" in result.explanation and "50.0%" in result.explanation
    assert result.css == "status-warn"


def test_every_code_has_a_label_and_a_css_class():
    for code in (Health.ACHIEVED, Health.CANCELLED, Health.DELAYED, Health.AT_RISK, Health.ON_TRACK):
        assert str(Health.LABELS[code])
        assert code in Health.CSS
