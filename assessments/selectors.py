"""Selectors of the assessments app: filled in by its issue (see README, 'Where things are')."""
