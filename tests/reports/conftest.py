import pytest

from accounts import roles
from tests.factories import UserFactory, make_state_representative


@pytest.fixture(autouse=True)
def _eager_celery():
    """Celery runs tasks eagerly in tests (no broker), as in settings without REDIS_URL."""
    from kansenagenda.celery import app

    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


@pytest.fixture
def officer(db):
    return UserFactory(role=roles.MINISTRY_OFFICER)


@pytest.fixture
def signatory(db):
    return UserFactory(role=roles.MINISTRY_SIGNATORY)


@pytest.fixture
def state_rep_factory(db):
    return make_state_representative
