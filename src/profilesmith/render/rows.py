"""Batch rows: a CSV file with a header, or JSON lines (one object per line).

A column named like a template value (dotted for nested ones: ``scep.challenge``) sets
that value for its row; other columns are only for the ``--name`` pattern. CSV cells
are text, typed by the values schema like ``--set``; an empty cell leaves the value to
the values files. JSON-lines values keep their JSON types (strings are typed by the
schema too). Paths in a row are relative to the rows file.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from typing import Any

from profilesmith.render.values import (
    Origin,
    Text,
    ValuesError,
    ValueSet,
    set_path,
    split_key,
    typed_json,
)

MAX_ROWS_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    number: int  # 1-based, data rows only
    line: int  # where the row starts in the file
    cells: dict[str, Any]  # column -> Text (CSV) or typed value (JSON lines)


def read_rows(path: str) -> list[Row]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_ROWS_BYTES + 1)
    except OSError as exc:
        raise ValuesError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    if len(raw) > MAX_ROWS_BYTES:
        raise ValuesError([f"{path}: larger than {MAX_ROWS_BYTES} bytes"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValuesError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    lowered = path.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")) or (
        not lowered.endswith(".csv") and text.lstrip()[:1] == "{"
    ):
        rows = _json_lines(text, path)
    else:
        rows = _csv(text, path)
    if not rows:
        raise ValuesError([f"{path}: no rows"])
    return rows


def _csv(text: str, path: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return []
        names = [name.strip() for name in header]
        seen: set[str] = set()
        for name in names:
            if not name:
                raise ValuesError([f"{path}:1: the header has an empty column name"])
            if name in seen:
                raise ValuesError([f"{path}:1: column {name!r} appears twice"])
            seen.add(name)
        rows: list[Row] = []
        start = reader.line_num + 1
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                start = reader.line_num + 1
                continue
            if len(cells) != len(names):
                raise ValuesError([f"{path}:{start}: {len(cells)} cells, but the header "
                                   f"has {len(names)} columns"])
            row = {name: Text(cell) for name, cell in zip(names, cells, strict=True) if cell}
            rows.append(Row(len(rows) + 1, start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValuesError([f"{path}:{reader.line_num}: invalid CSV ({exc})"]) from None
    return rows


def _json_lines(text: str, path: str) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("each line must be a JSON object")
            cells = {str(k): typed_json(v) for k, v in data.items() if v is not None}
        except ValueError as exc:
            raise ValuesError([f"{path}:{number}: invalid JSON line ({exc})"]) from None
        rows.append(Row(len(rows) + 1, number, cells))
    return rows


def row_values(row: Row, path: str, value_names: set[str] | None) -> ValueSet:
    """The row's cells that are template values (all of them when ``value_names`` is
    None: a template without a schema), as a value set to lay over the others."""
    base = os.path.dirname(os.path.abspath(path))
    origin = Origin(path, row.line, base, label=f"row {row.number}")
    result = ValueSet(default_origin=origin)
    for column, value in row.cells.items():
        key = split_key(column, f"{path}:{row.line}: column {column!r}")
        if value_names is not None and key[0] not in value_names:
            continue
        set_path(result.tree, key, value, f"{path}:{row.line}")
        result.origins[key] = origin
    return result


def name_fields(row: Row) -> dict[str, str]:
    """Every column's text, for the ``--name`` pattern."""
    fields = {}
    for column, value in row.cells.items():
        fields[column] = value.text if isinstance(value, Text) else _text(value)
    return fields


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)
