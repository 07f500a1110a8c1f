import pytest

from tests.factories import AllianceFactory, OrganisationFactory, make_coordinator, make_partner


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def alliance(db):
    return AllianceFactory(organisations=[OrganisationFactory()])


@pytest.fixture
def other_alliance(db):
    return AllianceFactory(organisations=[OrganisationFactory()])


@pytest.fixture
def coordinator(alliance):
    return make_coordinator(alliance)


@pytest.fixture
def partner(alliance):
    return make_partner(alliance)
