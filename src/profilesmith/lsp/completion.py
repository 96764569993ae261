"""Completion: the keys of the dictionary the cursor is in (from the schema of its
payload type, command, declaration type, ...), PayloadType and declaration Type values,
and the values a key's schema enumerates (booleans too), as XML or JSON as the document
is.

Keys already in the dictionary are not offered again; required keys sort first.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from profilesmith.lsp import facts
from profilesmith.lsp.hover import describe
from profilesmith.lsp.outline import Cursor
from profilesmith.lsp.snapshot import Snapshot
from profilesmith.plist.writer import xml_text
from profilesmith.schema import bundle


class Choice(NamedTuple):
    label: str
    text: str  # what replaces ``Cursor.replace``
    kind: str  # "key" | "value"
    detail: str | None = None
    documentation: str | None = None  # Markdown
    sort: str = ""
    filter: str | None = None


def complete(snapshot: Snapshot, offset: int) -> tuple[list[Choice], tuple[int, int]] | None:
    """What may be typed at ``offset``, and the span the choice replaces."""
    cursor = snapshot.cursor(offset)
    if cursor is None or not cursor.inside:
        return None
    json_document = snapshot.kind == "json"
    if cursor.where in ("key", "key-slot"):
        choices = _keys(snapshot, cursor, json_document)
    else:
        choices = _values(snapshot, cursor, json_document)
    return choices, cursor.replace


def _keys(snapshot: Snapshot, cursor: Cursor, json_document: bool) -> list[Choice]:
    located = facts.locate(snapshot.value, cursor.tokens)
    if located is None:
        return []
    present = {m.key for m in cursor.node.members if m is not cursor.member}
    choices = []
    for name, schema in sorted(facts.keys(located).items()):
        if name in present:
            continue
        here = facts.Located(located.file, located.label, located.nav, schema,
                             located.schema, name)
        required = facts.requirement(here)
        detail = f"<{facts.plist_type(schema)}> · {required}"
        if cursor.where == "key":
            text, shown = _inside(name, json_document) + cursor.closer, None
        elif json_document:
            text, shown = f'"{name}": ', f'"{name}"'
        else:
            escaped = xml_text(name)
            text = shown = f"<key>{escaped}</key>"
        choices.append(Choice(name, text, "key", detail, "\n".join(describe(here)),
                              ("0" if required == "required" else "1") + name, shown))
    return sorted(choices, key=lambda choice: choice.sort)


def _values(snapshot: Snapshot, cursor: Cursor, json_document: bool) -> list[Choice]:
    names = _type_names(snapshot, cursor)
    if names:
        return [Choice(name, _inside(name, json_document) + cursor.closer
                       if cursor.where == "value" else _element(name, "string", json_document),
                       "value", "<string>", sort=name) for name in names]
    located = facts.locate(snapshot.value, cursor.tokens)
    if located is None:
        return []
    schema = located.schema
    if cursor.where == "item-slot":
        schema = located.nav.item(schema, 0) if schema is not None else None
    if schema is None:
        return []
    values = facts.allowed(schema)
    plist_type = facts.plist_type(schema)
    if not values and plist_type == "boolean":
        values = [True, False]
    choices = []
    for position, value in enumerate(values):
        label = json.dumps(value) if not isinstance(value, str) else value
        if cursor.where == "value":
            text = _inside(value, json_document) + cursor.closer
        else:
            text = _element(value, plist_type, json_document)
        choices.append(Choice(label, text, "value", f"<{plist_type}>",
                              sort=f"{position:05d}", filter=text))
    if not choices and cursor.where != "value":
        skeleton = _skeleton(plist_type, json_document)
        if skeleton is not None:
            choices.append(Choice(skeleton, skeleton, "value", f"<{plist_type}>",
                                  filter=skeleton))
    return choices


def _type_names(snapshot: Snapshot, cursor: Cursor) -> list[str]:
    """Every PayloadType with a schema, for a payload's PayloadType; every declaration
    type, for a JSON document's Type."""
    tokens = cursor.tokens
    if cursor.where not in ("value", "value-slot"):
        return []
    if len(tokens) == 3 and tokens[0] == "PayloadContent" and tokens[1].isdigit() \
            and tokens[2] == "PayloadType":
        return sorted(bundle.available("payloads"))
    if snapshot.kind == "json" and tokens == ("Type",):
        return sorted(bundle.available("declarations"))
    return []


def _inside(value: Any, json_document: bool) -> str:
    """A value as typed between the tags (or the quotes)."""
    if isinstance(value, str):
        return json.dumps(value)[1:-1] if json_document else xml_text(value)
    return json.dumps(value)


def _element(value: Any, plist_type: str, json_document: bool) -> str:
    """A whole value: ``<string>...</string>``, ``<true/>``, ``"..."``, ``true``."""
    if json_document:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "<true/>" if value else "<false/>"
    tag = {"integer": "integer", "real": "real"}.get(plist_type, "string")
    if isinstance(value, int):
        tag = "integer" if plist_type != "real" else "real"
    return f"<{tag}>{_inside(value, False)}</{tag}>"


_SKELETONS = {"string": ("<string></string>", '""'), "integer": ("<integer></integer>", "0"),
              "real": ("<real></real>", "0.0"), "dictionary": ("<dict></dict>", "{}"),
              "array": ("<array></array>", "[]"), "date": ("<date></date>", '""'),
              "data": ("<data></data>", '""')}


def _skeleton(plist_type: str, json_document: bool) -> str | None:
    pair = _SKELETONS.get(plist_type)
    return None if pair is None else pair[1 if json_document else 0]
