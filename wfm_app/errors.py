"""Domain errors. Each carries a sentence a person understands and a stable code."""

from __future__ import annotations


class WfmError(Exception):
    code = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(WfmError):
    code = "NOT_FOUND"


class Forbidden(WfmError):
    code = "FORBIDDEN"


class Unauthenticated(WfmError):
    code = "UNAUTHENTICATED"


class Conflict(WfmError):
    """The request clashes with what is stored (duplicates, in-use rows, a lost race)."""

    code = "CONFLICT"


class InvalidTransition(WfmError):
    code = "INVALID_TRANSITION"


class ValidationFailed(WfmError):
    """Bad input. ``field_errors`` maps a field name to its own sentence, for forms."""

    code = "VALIDATION"

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}


class ConditionFailed(WfmError):
    """A move whose transition's conditions do not hold. ``unmet`` lists each one:
    ``{"field", "label", "message"}`` (field "comment" when a reason is required)."""

    code = "CONDITION_FAILED"

    def __init__(self, message: str, unmet: list[dict[str, str]]) -> None:
        super().__init__(message)
        self.unmet = unmet


class WipLimitReached(WfmError):
    code = "WIP_LIMIT"


class TimedOut(WfmError):
    """The database stopped a statement that ran past the API's time limit."""

    code = "TIMEOUT"
