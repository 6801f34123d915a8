"""Writes of the reports app, by area: memos and their approval, documents."""
