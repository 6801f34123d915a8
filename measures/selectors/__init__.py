"""Reads of the measures app, by area, always scoped to one organisation."""
