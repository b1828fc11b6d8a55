"""The parts of a card's face (state/card_face.py): the date chip, the priority badge and
the owner's initials beside their name."""

from __future__ import annotations

from typing import Any

import reflex as rx

TONES = {"red": "red", "amber": "amber", "orange": "orange", "gray": "gray"}


def _tone(tone: Any) -> Any:
    """A Radix colour for a tone word (gray where none is set)."""
    return rx.match(tone, *[(word, scheme) for word, scheme in TONES.items()], "gray")


def face_chips(card: Any) -> rx.Component:
    return rx.cond(
        (card.due != "") | (card.priority != ""),
        rx.hstack(
            rx.cond(
                card.priority != "",
                rx.badge(
                    card.priority,
                    color_scheme=_tone(card.priority_tone),
                    variant="soft",
                    high_contrast=True,  # 4.5:1 on the soft background (axe)
                ),
            ),
            rx.cond(
                card.due != "",
                rx.badge(
                    rx.icon("calendar", size=12, aria_hidden="true"),
                    card.due,
                    color_scheme=_tone(card.due_tone),
                    variant=rx.cond(card.due_tone == "gray", "soft", "solid"),
                    high_contrast=card.due_tone != "gray",
                    style={"white_space": "normal", "max_width": "100%"},  # wraps when narrow
                ),
            ),
            spacing="1",
            wrap="wrap",
            width="100%",
        ),
    )


def _avatar(picture: Any, initials: Any, **look: Any) -> rx.Component:
    """A person's picture from their identity provider, else their initials (decorative:
    their name is beside it). The picture is a background, not an <img>: a browser drags
    an image by itself, which would take the drag from the card."""
    return rx.cond(
        picture != "",
        rx.box(
            aria_hidden="true",
            class_name="wfm-picture",
            style={"background_image": "url(" + picture.to(str) + ")"},
        ),
        rx.avatar(fallback=initials, size="1", radius="full", aria_hidden="true", **look),
    )


def assignee_face(card: Any) -> rx.Component:
    return rx.hstack(
        _avatar(card.assignee_picture, card.assignee_initials, color_scheme="violet"),
        rx.text("Assigned to ", card.assignee, size="1", weight="medium"),
        spacing="1",
        align="center",
    )


def owner_face(card: Any) -> rx.Component:
    return rx.hstack(
        rx.cond(card.initials != "", _avatar(card.picture, card.initials)),
        rx.text(card.owner, size="1", color="var(--gray-11)"),
        spacing="1",
        align="center",
    )
