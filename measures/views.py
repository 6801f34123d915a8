"""Views of the measures app: filled in by its issue (see README, 'Where things are')."""
