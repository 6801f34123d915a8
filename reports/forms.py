"""Forms of the reports app: filled in by its issue (see README, 'Where things are')."""
