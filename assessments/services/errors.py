class AssessmentError(Exception):
    """A refused change, with a message fit for the person who asked for it."""


class FieldsError(AssessmentError):
    """A refused change whose reasons belong next to form fields: `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors
