"""What a person sees when an event handler fails: the engine's sentence, never a trace.

(No ``from __future__ import annotations`` here: Reflex inspects these annotations.)"""

import logging

import reflex as rx
from reflex.event import EventSpec

from wfm_app.errors import Unauthenticated, WfmError
from wfm_app.observability import operations
from wfm_app.ui.state.adapters import said

log = logging.getLogger("wfm.ui")


def handle_backend_error(exception: Exception) -> EventSpec:
    """Engine refusals become their sentence; an ended session says so; the rest is logged."""
    if isinstance(exception, Unauthenticated):
        return rx.toast.error("Your session has ended: reload the page to sign in again.")
    if isinstance(exception, WfmError):
        return rx.toast.error(said(exception))
    reference = operations.reference_of(exception)
    quoted = f" (reference {reference})" if reference else ""
    log.error("event handler failed", exc_info=exception)
    return rx.toast.error(
        f"Something went wrong on our side; it has been logged{quoted}. Please try again."
    )
