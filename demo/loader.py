"""The demo loaded whole, section after section (`manage.py load_demo`, the tests' personas)."""

from itaportal.accounts import register
from itaportal.accounts.models import Province

from . import assessments, measures, memos, oit, organisations, oversight, twofactor
from .data import DemoLogin


def load() -> list[DemoLogin]:
    if not Province.objects.exists():
        # Migration 0003 loads the register, but a test that commits its data empties every table after it.
        register.load()
    logins = organisations.load()
    logins += oversight.load()
    assessments.load()
    oit.load()
    measures.load()
    memos.load()
    twofactor.load([login.username for login in logins])
    return logins
