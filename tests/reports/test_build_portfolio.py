import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from agendas.models import Agenda, BudgetLine, Milestone, Priority, ProgressReport


def test_build_small_portfolio(db, capsys, client, django_assert_max_num_queries):
    call_command("build_portfolio", seed=7, regions=2, agendas=20, priorities=2, budget_years=2, milestones=2)
    assert Agenda.objects.count() == 20
    assert Priority.objects.count() == 40
    assert BudgetLine.objects.count() == 40 * 2 * 3
    assert Milestone.objects.count() == 80
    assert Agenda.objects.values("status").distinct().count() >= 5
    assert "Portefeuille gebouwd" in capsys.readouterr().out
    active = Agenda.objects.filter(status__in=["active", "closed"]).count()
    assert (ProgressReport.objects.count() > 0) == (active > 0)
    # The benchmark user sees the portfolio on the dashboard within the query budget.
    from accounts.models import User

    client.force_login(User.objects.get(email="bench-officer@example.nl"))
    with django_assert_max_num_queries(20):
        assert client.get("/rapportages/").status_code == 200
    with pytest.raises(CommandError):
        call_command("build_portfolio", seed=7, regions=2, agendas=20)


def test_same_seed_same_portfolio(db):
    from django.db import transaction

    class Rollback(Exception):
        pass

    def build_and_describe():
        call_command("build_portfolio", seed=3, regions=2, agendas=8, priorities=2, budget_years=2, milestones=1)
        return (
            list(Agenda.objects.order_by("title").values_list("title", "status", "start_year", "current_version")),
            BudgetLine.objects.aggregate(t=Sum("amount"))["t"],
            sorted(Milestone.objects.values_list("target_value", flat=True)),
        )

    try:
        with transaction.atomic():
            first = build_and_describe()
            raise Rollback
    except Rollback:
        pass
    assert not Agenda.objects.exists()
    assert build_and_describe() == first
