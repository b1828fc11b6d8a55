"""What a board shows of an entity, derived from its kind's description and its custom
fields: form fields, the card's line, the detail's fields, the edit form's values."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from decimal import Decimal
from typing import Any

from wfm_app.engine import durations, org_settings
from wfm_app.engine.custom_fields import PREFIX, CustomFieldRead
from wfm_app.engine.registry import EntityDescription, FieldSpec
from wfm_app.engine.win_chance import store as win_chance
from wfm_app.sqltypes import utc_now

# Input kinds the form renderer knows (ui/components/entity_form.py).
_INPUT_KIND = {
    "text": "text",
    "long_text": "long_text",
    "email": "text",
    "number": "number",
    "amount": "number",
    "percent": "number",
    "date": "date",
    "choice": "choice",
    "currency": "choice",
}
_CUSTOM_KIND = {
    "TEXT": "text",
    "NUMBER": "number",
    "DATE": "date",
    "BOOLEAN": "boolean",
    "DROPDOWN": "choice",
    "MULTI_SELECT": "multi",
}
MULTI_SEPARATOR = "::"  # a multi-choice checkbox is named "<key>::<option>"


@dataclasses.dataclass
class FieldView:
    key: str  # the form input's name: "amount", or "custom.region"
    label: str
    kind: str  # text | long_text | number | date | choice | boolean | multi
    options: list[str]
    required: bool
    help: str
    default: str


def builtin_fields(description: EntityDescription) -> list[FieldView]:
    return [_builtin_field(spec) for spec in description.fields]


def _builtin_field(spec: FieldSpec) -> FieldView:
    money = spec.type == "currency"  # the organization's default first, and preselected
    return FieldView(
        key=spec.key,
        label=spec.label,
        kind=_INPUT_KIND[spec.type],
        options=org_settings.currencies_offered() if money else list(spec.choices),
        required=spec.required,
        help=spec.help,
        default=org_settings.default_currency() if money else spec.default,
    )


def custom_field_views(fields: list[CustomFieldRead]) -> list[FieldView]:
    return [
        FieldView(
            key=PREFIX + field.key,
            label=field.label,
            kind=_CUSTOM_KIND[field.field_type],
            options=list(field.options),
            required=field.required,
            help=field.help or "",
            default="",
        )
        for field in fields
        if field.active
    ]


def split_form(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Browser form data -> (built-in values, custom values by key). Blank is None; a
    multi-choice field's checked boxes become one list; a custom yes/no box that was left
    unchecked is absent from the form, which means no."""
    builtin: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for name, raw in form.items():
        value = None if raw == "" else raw
        if name.startswith(PREFIX):
            key, separator, option = name.removeprefix(PREFIX).partition(MULTI_SEPARATOR)
            if separator:
                custom.setdefault(key, [])
                if value in ("on", True, "true"):
                    custom[key].append(option)
            else:
                custom[key] = value
        else:
            builtin[name] = value
    return builtin, custom


def _money(amount: Any, currency: str) -> str:
    return f"{currency} {float(amount):,.0f}"


def plain_text(value: Any) -> str:
    """A custom field's value as a person reads it: a list joined, Yes or No."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def field_text(spec: FieldSpec, value: Any, read: Any) -> str:
    if value is None or value == "":
        return ""
    if spec.type == "amount":
        return _money(value, getattr(read, "currency", "USD"))
    if spec.type == "percent":
        return f"{_typed_number(spec, value)} %"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def card_line(description: EntityDescription, read: Any, shown_apart: set[str]) -> str:
    """The fields a card shows under the name: text as it is, others with their label
    (but those its face shows apart: a date chip, a priority badge)."""
    parts = []
    for spec in description.fields:
        if spec.key not in description.card_fields or spec.key in shown_apart:
            continue
        shown = field_text(spec, getattr(read, spec.key), read)
        if spec.type == "amount":
            parts.append(shown or f"No {spec.label.lower()}")
        elif shown:
            parts.append(shown if spec.type in {"text", "email"} else f"{spec.label} {shown}")
    return " · ".join(parts)


def detail_fields(
    description: EntityDescription, read: Any, custom: list[CustomFieldRead]
) -> list[dict[str, str]]:
    """Every built-in field but the name, computed amounts, then custom fields (inactive
    ones too when they hold a value: nothing is hidden that was recorded)."""
    rows = [
        {
            "key": spec.key,  # editable in place: the form input's name
            "label": spec.label,
            "value": field_text(spec, getattr(read, spec.key), read) or "—",
        }
        for spec in description.fields
        if spec.key != "name"
    ]
    weighted = getattr(read, "weighted_amount", None)
    if isinstance(weighted, Decimal):
        rows.append(
            {"key": "", "label": "Weighted amount", "value": _money(weighted, read.currency)}
        )
    if read.wfm.win_chance is not None and (model := win_chance.model_for(read.wfm.workflow_id)):
        learned = f"learned from {model.closed_cards} closed {description.plural_label.lower()}"
        if model.predictor_labels:
            learned += f" and their {', '.join(model.predictor_labels)}"
        chance = f"{read.wfm.win_chance:.0%} · {learned}"
        rows.append({"key": "", "label": "Win chance", "value": chance})
    values = read.custom_fields
    for field in custom:
        value = values.get(field.key)
        if field.active or value not in (None, [], ""):
            rows.append(
                {
                    "key": PREFIX + field.key if field.active else "",
                    "label": field.label,
                    "value": plain_text(value) or "—",
                }
            )
    return rows


def _typed_number(spec: FieldSpec, value: Any) -> str:
    """A number as its input takes it back: 75 for a percent field's 0.75."""
    if value is None:
        return ""
    return f"{float(value) * 100:g}" if spec.type == "percent" else str(value)


def edit_values(description: EntityDescription, read: Any) -> dict[str, str]:
    """Current values as the edit form's inputs take them (multi-choice: one per box)."""
    values = {
        spec.key: field_text(spec, getattr(read, spec.key), read)
        if spec.type not in {"amount", "number", "percent"}
        else _typed_number(spec, getattr(read, spec.key))
        for spec in description.fields
    }
    for key, value in read.custom_fields.items():
        if isinstance(value, list):
            for option in value:
                values[f"{PREFIX}{key}{MULTI_SEPARATOR}{option}"] = "on"
        elif isinstance(value, bool):
            values[PREFIX + key] = "on" if value else ""
        else:
            values[PREFIX + key] = str(value)
    return values


@dataclasses.dataclass
class MoveOption:
    step_id: str
    name: str


def step_of(read: Any) -> str:
    """The id of the step an entity's card is on ("" if none)."""
    return str(read.wfm.step.id) if read.wfm.step else ""


@dataclasses.dataclass
class CardView:
    """One card as its column shows it. Its step is the column it sits in.

    Boards keep their loaded cards in tab state, which Reflex's Redis state manager
    pickles on every event: a card pickles as a plain tuple, and the values many cards
    share (owner, days, badge) are interned so the pickle stores each once."""

    id: str
    name: str
    detail: str  # the fields the entity's description puts on a card
    owner: str
    days: str
    amount: float
    badge: str  # "Rotting · 16 days", "SLA breached · 30 h" (time in step) or ""
    assignee: str = ""  # who works it besides the owner, by name
    # [branch name, pending | approved | rejected, "mine"] per parallel branch of its step
    approvals: list[list[str]] = dataclasses.field(default_factory=list)
    lane: str = ""  # its swimlane's value when the board is grouped (entities/lanes.py)
    # its face (state/card_face.py): owner's initials, status colour, date chip, priority
    initials: str = ""
    accent: str = ""
    due: str = ""
    due_tone: str = ""  # red, amber or gray
    priority: str = ""
    priority_tone: str = ""
    assignee_initials: str = ""
    picture: str = ""  # the owner's picture from their identity provider, if any
    assignee_picture: str = ""

    def __post_init__(self) -> None:
        for name in _SHARED:
            setattr(self, name, sys.intern(getattr(self, name)))
        self.approvals = [[sys.intern(part) for part in badge] for badge in self.approvals]

    def __reduce__(self) -> tuple[type[CardView], tuple[Any, ...]]:
        """Positional values, without the empty ones at the end."""
        values = [getattr(self, field.name) for field in dataclasses.fields(self)]
        while len(values) > _REQUIRED and values[-1] in ("", []):
            values.pop()
        return (CardView, tuple(values))


# Values many cards share: pickled once each (see CardView)
_SHARED: tuple[str, ...] = ("owner", "days", "badge", "assignee", "initials", "accent")
_SHARED += ("due_tone", "priority", "priority_tone", "assignee_initials", "picture")
_SHARED += ("assignee_picture",)
_REQUIRED = 7  # id to badge


@dataclasses.dataclass
class ColumnView:
    id: str
    name: str
    probability: str
    count: int
    total_label: str
    weighted_label: str
    cards: list[CardView]
    hidden: int  # cards beyond the page shown
    wip_label: str  # "WIP 3 / 10" when the step has a limit
    wip_full: bool


@dataclasses.dataclass
class LaneCellView:
    step_id: str
    zone: str  # "<step id>|<lane key>": where a drop lands
    label: str  # "Qualification · Bob Member"
    cards: list[CardView]


@dataclasses.dataclass
class LaneView:
    key: str
    label: str
    count: int
    total_label: str  # "USD 1,200" where the kind has amounts, else ""
    collapsed: bool
    cells: list[LaneCellView]


def history_note(
    comment: str | None, values: dict[str, Any] | None, override: bool, *, undo: bool = False
) -> str:
    parts = ["undo of the move before"] if undo else []
    parts += [f"“{comment}”"] if comment else []
    if values:
        parts.append(
            "set " + ", ".join(f"{k.removeprefix(PREFIX)} = {v}" for k, v in values.items())
        )
    if override:
        parts.append("over the WIP limit")
    return "; ".join(parts)


def money(amount: float, currency: str = "USD") -> str:
    return f"{currency} {amount:,.0f}"


def days_in_step(entered: Any) -> str:
    return f"{durations.in_words((utc_now() - entered).total_seconds())} in step"


def as_float(amount: Decimal | None) -> float:
    return float(amount) if amount is not None else 0.0
