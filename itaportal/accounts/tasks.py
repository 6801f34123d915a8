"""Celery tasks of organisations and people: none yet; notifications arrive with the memo issue."""
