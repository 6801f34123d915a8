"""What else a new office needs, from the apps above the foundation.

The foundation registers an office with its departments and positions; an app that keeps its own
settings of an office (the approval chain lives in reports) adds a step here from its ready(), as apps
add audit sentences to itaportal.audit.registry. The steps run inside the registration's transaction:
one that fails leaves no office behind.
"""

from collections.abc import Callable
from dataclasses import dataclass

from itaportal.accounts.models import Department, Organisation, Position, User


@dataclass(frozen=True)
class NewOffice:
    organisation: Organisation
    user: User | None  # the platform administrator who registered it
    departments: dict[str, Department]  # by name
    positions: dict[str, Position]  # by title
    # The standard approval chain of the office's kind, first reader first (หัวหน้าสำนักปลัด → ปลัด → นายก).
    chain: list[Position]


SETUP_STEPS: dict[str, Callable[[NewOffice], None]] = {}


def setup_step(name: str) -> Callable:
    def decorator(function: Callable[[NewOffice], None]) -> Callable[[NewOffice], None]:
        SETUP_STEPS[name] = function
        return function

    return decorator


def run_setup_steps(office: NewOffice) -> None:
    for step in SETUP_STEPS.values():
        step(office)
