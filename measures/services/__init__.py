"""Writes of the measures app, by area: the plan, rounds and progress, evidence, the OIT checklist."""


class MeasureError(Exception):
    """A refused change, with a message fit for the person who asked for it."""
