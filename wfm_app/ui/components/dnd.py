"""Drag and drop, wrapped once: the JSX lives in assets/dnd.jsx."""

from __future__ import annotations

import reflex as rx


class DragItem(rx.Component):
    library = "$/public/dnd.jsx"
    tag = "DragItem"

    item_id: rx.Var[str]


class DropZone(rx.Component):
    library = "$/public/dnd.jsx"
    tag = "DropZone"

    zone_id: rx.Var[str]
    on_drop_item: rx.EventHandler[lambda item_id, zone_id: [item_id, zone_id]]


drag_item = DragItem.create
drop_zone = DropZone.create
