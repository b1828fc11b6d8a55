"""Project types' icons: shown as icons, chosen by name from a list (never the icon's
internal name as text)."""

from __future__ import annotations

from typing import Any

import reflex as rx

# icon name (lucide) -> what a person calls it
ICONS = {
    "handshake": "Handshake",
    "user-plus": "Person joining",
    "life-buoy": "Lifebuoy",
    "briefcase": "Briefcase",
    "ticket": "Ticket",
    "users": "People",
    "building-2": "Building",
    "phone": "Phone",
    "mail": "Letter",
    "wrench": "Wrench",
    "shopping-cart": "Shopping cart",
    "file-text": "Document",
    "flag": "Flag",
    "star": "Star",
    "folder": "Folder",
}
ICON_OPTIONS = [{"value": name, "label": label} for name, label in ICONS.items()]


def icon_of(name: Any) -> rx.Component:
    """The icon named ``name`` (a Var), labelled for screen readers; other names as
    a dash: an icon the list does not know is not shown as text."""
    return rx.match(
        name,
        *[
            (key, rx.icon(key, size=18, aria_label=label, role="img"))
            for key, label in ICONS.items()
        ],
        rx.text("—", aria_label="No icon"),
    )
