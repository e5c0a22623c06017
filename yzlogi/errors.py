"""The errors yzlogi raises on purpose; each carries a Chinese message for users."""


class YzlogiError(Exception):
    """An expected failure whose message (Chinese) can be shown to a user as is."""


class PlanError(YzlogiError):
    """The plan reference data is broken; the app cannot start on it."""
