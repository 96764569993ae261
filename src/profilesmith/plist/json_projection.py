"""The JSON projection of plist values (docs/architecture.md, "Contracts"), which the
schemas describe.

``<data>`` becomes ``{"$data": "<base64>"}`` and ``<date>`` ``{"$date": "<ISO-8601>"}``;
everything else maps to itself. ``convert --to json`` writes this projection and the
JSON Schemas in ``schemas/`` validate it, so a user can check converted files with any
JSON Schema tool.
"""

from __future__ import annotations

import binascii
from datetime import UTC, datetime
from typing import Any

from profilesmith.base.secrets import secret_pointer


class ProjectionError(ValueError):
    """A JSON value that has no plist equivalent (null, a malformed $data/$date)."""


def to_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, bytes):
        return {"$data": binascii.b2a_base64(value, newline=False).decode("ascii")}
    if isinstance(value, datetime):
        return {"$date": format_date(value)}
    return value


def naive_utc(value: datetime) -> datetime:
    """An aware datetime as the naive UTC one a plist holds; a naive one unchanged."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def format_date(value: datetime) -> str:
    return naive_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_json(value: Any, pointer: str = "") -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$data" in value:
            return _data(value["$data"], pointer)
        if len(value) == 1 and "$date" in value:
            return _date(value["$date"], pointer)
        return {k: from_json(v, f"{pointer}/{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v, f"{pointer}/{i}") for i, v in enumerate(value)]
    if value is None:
        raise ProjectionError(f"{pointer or '/'}: null has no property-list equivalent")
    return value


def _data(text: Any, pointer: str) -> bytes:
    if not isinstance(text, str):
        raise ProjectionError(f"{pointer or '/'}: $data must be a base64 string")
    import base64  # only when reading JSON: the lint of a plist does not load it

    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ProjectionError(f"{pointer or '/'}: $data is not valid base64 ({exc})") from None


def _date(text: Any, pointer: str) -> datetime:
    if not isinstance(text, str):
        raise ProjectionError(f"{pointer or '/'}: $date must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        if secret_pointer(pointer):
            raise ProjectionError(f"{pointer}: $date is not ISO 8601 (the value is not "
                                  "shown: its key names a secret)") from None
        raise ProjectionError(f"{pointer or '/'}: $date {text!r} is not ISO 8601") from None
    return naive_utc(moment)
