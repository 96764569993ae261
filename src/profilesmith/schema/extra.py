"""Payload schemas beyond Apple's data: the user's own (``--schemas DIR``: files named
``<PayloadType>.schema.json``) and those read from a user's ProfileManifests checkout
(``--manifests DIR``, :mod:`profilesmith.schema.manifests`).

For a payload type that has a schema already, the user's file extends it: its
``properties`` are added (a member of the same name replaces ours), its ``required`` keys
join ours, its ``$defs`` are added, any other keyword replaces ours. For a type without
one it is the schema. Of several directories, the later ones win (--schemas after the
configuration's). A manifest is used only for a type that has no schema at all, and its
findings are warnings at most (schema.check). The merged schema's ``x-source`` names the
user's file.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import TYPE_CHECKING, Any

from profilesmith.schema import bundle
from profilesmith.schema.bundle import SourceError

if TYPE_CHECKING:
    from profilesmith.schema.bundle import Layout

SUFFIX = ".schema.json"
MANIFEST_SOURCE = "ProfileManifests"


@cache
def _user_files(directories: tuple[str, ...]) -> dict[str, str]:
    """payload type -> the user's schema file for it (the last directory that has one)."""
    found: dict[str, str] = {}
    for directory in directories:
        for name in sorted(os.listdir(directory)):
            if name.endswith(SUFFIX) and len(name) > len(SUFFIX):
                found[name[: -len(SUFFIX)]] = os.path.join(directory, name)
    return found


def _manifests(layout: Layout) -> dict[str, dict[str, Any]]:
    if layout.manifests is None:
        return {}
    from profilesmith.schema.manifests import schemas

    return schemas(layout.manifests)


def payload_types(layout: Layout) -> frozenset[str]:
    return frozenset(_user_files(layout.user)) | frozenset(_manifests(layout))


def _read_user(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise SourceError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: a schema file must hold a JSON object")
    return data


def extend(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Our schema with the user's laid over it (see the module docstring)."""
    result = dict(ours)
    for word, value in theirs.items():
        if word in ("properties", "$defs") and isinstance(value, dict):
            result[word] = {**ours.get(word, {}), **value}
        elif word == "required" and isinstance(value, list):
            result[word] = list(dict.fromkeys([*ours.get(word, []), *value]))
        else:
            result[word] = value
    return result


def payload_schema(layout: Layout, relative: str) -> dict[str, Any]:
    """The schema of ``payloads/<PayloadType>.schema.json`` with the user's data laid over
    it; FileNotFoundError when there is none at all."""
    name = relative[len("payloads/"):-len(SUFFIX)]
    try:
        ours: dict[str, Any] | None = json.loads(bundle.base_bytes(relative))
    except OSError:
        ours = None
    user = _user_files(layout.user).get(name)
    if user is not None:
        theirs = {**_read_user(user), "x-source": user}
        return theirs if ours is None else extend(ours, theirs)
    if ours is not None:
        return ours
    manifest = _manifests(layout).get(name)
    if manifest is None:
        raise FileNotFoundError(relative)
    return manifest


def check(layout: Layout) -> None:
    """Read and compile every user schema and manifest now: a broken one is a usage
    error (SourceError) rather than an internal error in the middle of a run."""
    from profilesmith.schema.validator.compiler import SchemaError

    names = list(_user_files(layout.user)) + list(_manifests(layout))
    for name in names:
        relative = f"payloads/{name}{SUFFIX}"
        where = _user_files(layout.user).get(name, name)
        try:
            bundle.validator(relative)
        except SchemaError as exc:
            raise SourceError(f"{where}: cannot be used as a schema ({exc})") from None
