import pytest

from tests.certificates.factories import claim


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clinician_claim(clinician):
    return claim(clinician)


@pytest.fixture
def make_learner(db):
    from accounts.roles import Role
    from tests.conftest import make_person

    def make(username: str, **profile):
        return make_person(username, [Role.CLINICIAN], **profile)

    return make
