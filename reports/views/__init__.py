"""Pages of the reports app, by area."""
