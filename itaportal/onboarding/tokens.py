"""Invitation links: a random token goes out by e-mail and only its hash is stored, so the services
that make links, the worker that mails them and the page that opens them all hash the same way."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh link token and the hash stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()
