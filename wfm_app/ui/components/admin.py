"""Pieces of the admin pages: the section navigation and small table helpers."""

from __future__ import annotations

import reflex as rx

SECTIONS = [
    ("Statuses", "/admin/wfm/statuses"),
    ("Workflows", "/admin/wfm/workflows"),
    ("Project Types", "/admin/wfm/project-types"),
]


def admin_tabs(current: str) -> rx.Component:
    """Links, not ARIA tabs: each section is its own page with its own address."""
    return rx.el.nav(
        rx.hstack(
            *[
                rx.link(
                    label,
                    href=href,
                    aria_current="page" if label == current else None,
                    weight="bold" if label == current else "regular",
                    underline="always" if label == current else "hover",
                    padding_x="0.75em",
                    padding_y="0.35em",
                    border_radius="999px",
                    background_color="var(--accent-a3)" if label == current else "transparent",
                )
                for label, href in SECTIONS
            ],
            spacing="2",
        ),
        aria_label="WFM administration",
    )


def swatch(color: rx.Var[str]) -> rx.Component:
    return rx.box(
        width="1.1em",
        height="1.1em",
        border_radius="4px",
        background_color=rx.cond(color != "", color, "var(--gray-a4)"),
        border="1px solid var(--gray-a7)",
        aria_hidden="true",
    )
