"""Each audit action and the sentence it reads as in the history panel (in the reader's language).

The foundation keeps only the mechanism: each app registers its own actions in its registry module
(`<app>/audit_actions.py`, imported at the app's ready()), since an action's sentence speaks of that
app's records and the foundation imports nothing above it."""

from collections.abc import Callable

ACTIONS: dict[str, Callable[[dict], str]] = {}


def register(action: str) -> Callable:
    def decorator(function: Callable[[dict], str]) -> Callable[[dict], str]:
        ACTIONS[action] = function
        return function

    return decorator


def describe(entry) -> str:
    render = ACTIONS.get(entry.action)
    try:
        return render(entry.data) if render else entry.action
    except (KeyError, TypeError, ValueError):
        return entry.action
