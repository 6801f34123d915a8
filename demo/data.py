"""What every section of the demo shares: its files (the YAML beside this module), the logins it
prints, and a person made or brought back to the demo's password."""

from dataclasses import dataclass
from pathlib import Path

import yaml

from itaportal.accounts.models import User

DATA_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    organisation: str
    role: str
    position: str


def read(name: str) -> dict:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def demo_user(username: str, password: str, **fields) -> User:
    user, _ = User.objects.update_or_create(username=username, defaults=fields)
    # Re-hashing an unchanged password on every run would only churn the table.
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
