import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from visits import demo as visits_demo


@pytest.fixture
def demo_world(db, settings):
    """The seeded demo: patient, patient2, clinician, specialist and the rest."""
    settings.DEBUG = True
    accounts_demo.seed()
    visits_demo.seed()
    return {user.username: user for user in User.objects.all()}
