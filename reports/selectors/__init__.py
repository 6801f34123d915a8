"""Reads of the reports app, scoped to one organisation."""
