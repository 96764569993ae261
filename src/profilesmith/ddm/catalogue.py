"""The declarations and status items of the bundled Apple data.

Read from two generated files beside the schemas (``schemas/ddm/``), once per process and
only when a declaration is linted: ``declarations.json`` (each type's category, the
references its payload makes as pointer templates, the payload keys other types refer to,
the newest OS version of each platform in the data) and ``status-items.json`` (the status
item catalogue). Both come from the schemas' ``x-declaration-category``,
``x-references``, ``x-asset-types`` and ``x-platforms`` annotations (scripts/schemagen/ddm.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.schema import bundle

CATEGORIES = ("activation", "asset", "configuration", "management")
INDEX = "ddm/declarations.json"
STATUS_ITEMS = "ddm/status-items.json"


class Reference(NamedTuple):
    """One string in a declaration that names something else."""

    pointer: str  # where the string is
    refers: str  # a category, "status-item", or "<declaration type>#/Payload/<key>"
    value: str
    asset_types: tuple[str, ...] = ()  # the asset types Apple allows there (asset refs)


@cache
def _index() -> Mapping[str, Any]:
    return bundle.load(INDEX)


@cache
def _status_items() -> Mapping[str, Any]:
    items: Mapping[str, Any] = bundle.load(STATUS_ITEMS)["items"]
    return items


def known_types() -> list[str]:
    return sorted(_index()["types"])


def is_known(declaration_type: str) -> bool:
    return declaration_type in _index()["types"]


def category_of(declaration_type: Any) -> str | None:
    """activation, asset, configuration or management: from the data for the types it
    knows, else from Apple's naming of every type (``com.apple.<category>.<name>``), so
    that a type newer than the data still has its category; None for anything else."""
    if not isinstance(declaration_type, str):
        return None
    entry = _index()["types"].get(declaration_type)
    if entry is not None:
        category: str = entry["category"]
        return category
    parts = declaration_type.split(".")
    if len(parts) >= 4 and parts[:2] == ["com", "apple"] and parts[2] in CATEGORIES:
        return parts[2]
    return None


def release() -> str:
    """The bundled data, as a message names it: the upstream commit and the newest OS
    version of each platform that its declarations and status items mention."""
    marker = str(_index().get("x-generated", ""))
    commit = marker.rsplit(" ", 1)[-1][:12] if marker else "unknown"
    newest = ", ".join(f"{platform} {version}"
                       for platform, version in _index()["newest-introduced"].items())
    return f"apple/device-management {commit}, up to {newest}"


def _walk(value: Any, tokens: list[str], pointer: str) -> Iterator[tuple[str, Any]]:
    """The values a pointer template (``*``: any array item) names in ``value``."""
    if not tokens:
        yield pointer, value
        return
    token, rest = tokens[0], tokens[1:]
    if token == "*":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _walk(item, rest, f"{pointer}/{index}")
    elif isinstance(value, dict) and token in value:
        yield from _walk(value[token], rest, f"{pointer}/{escape_pointer_token(token)}")


def references(declaration_type: Any, root: Any) -> list[Reference]:
    """Every reference a declaration of a known type makes (an array of references: each
    string item); values that are not strings are the schema's to report."""
    entry = _index()["types"].get(declaration_type) if isinstance(declaration_type, str) \
        else None
    found: list[Reference] = []
    for site in (entry or {}).get("references", ()):
        allowed = tuple(site.get("asset-types", ()))
        for pointer, value in _walk(root, site["pointer"].split("/")[1:], ""):
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                if isinstance(item, str):
                    where = pointer if index is None else f"{pointer}/{index}"
                    found.append(Reference(where, site["refers"], item, allowed))
    return found


def offered(declaration_type: Any, root: Any) -> list[tuple[str, str]]:
    """(``<type>#<pointer>``, value) of the payload keys of this declaration that other
    types refer to (a screen-sharing connection's ConnectionUUID)."""
    entry = _index()["types"].get(declaration_type) if isinstance(declaration_type, str) \
        else None
    found = []
    for key in (entry or {}).get("referenced-keys", ()):
        for _pointer, value in _walk(root, key.split("/")[1:], ""):
            if isinstance(value, str):
                found.append((f"{declaration_type}#{key}", value))
    return found


# -- status items ------------------------------------------------------------------------


def status_item_names() -> list[str]:
    return sorted(_status_items())


def status_problem(name: str) -> str | None:
    """Why ``name`` is no status item of the data (None when it is one, or a key path into
    one: ``management.declarations.configurations``). The answer completes a message that
    names the item first."""
    from profilesmith.base.text import did_you_mean

    items = _status_items()
    if name in items:
        return None
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        item = ".".join(parts[:cut])
        if item in items:
            return _inside(item, items[item]["schema"], parts[cut:])
    below = [n for n in items if n.startswith(name + ".")]
    if below:
        return (f"is a group of status items ({', '.join(below[:3])}"
                f"{', ...' if len(below) > 3 else ''}), not one")
    return (f"is no status item of the bundled data ({release()}): newer than the data, "
            f"or misspelt{did_you_mean(name, items)}")


def subscription_problem(name: str) -> str | None:
    """Why ``name`` cannot be subscribed to: a subscription names a whole status item."""
    problem = status_problem(name)
    if problem is not None or name in _status_items():
        return problem
    item = next(n for n in sorted(_status_items(), key=len, reverse=True)
                if name.startswith(n + "."))
    return f"is a key inside status item {item}: a subscription names the whole item"


def status_value(name: str) -> Mapping[str, Any] | None:
    """The schema of a status item's value (None for a name that is no item)."""
    entry = _status_items().get(name)
    return None if entry is None else entry["schema"]


def _inside(item: str, schema: Mapping[str, Any], keys: list[str]) -> str | None:
    """Why the key path ``keys`` does not lead into the value of status item ``item``."""
    for key in keys:
        while schema.get("type") == "array" and isinstance(schema.get("items"), Mapping):
            schema = schema["items"]  # a key path through an array maps over its items
        members = schema.get("properties")
        if not isinstance(members, Mapping):
            if schema.get("type") in ("object", None):
                return None  # a dictionary of any keys: nothing to check against
            return f"goes into {item}, whose value has no keys"
        if key not in members:
            if schema.get("additionalProperties", True) is not False:
                return None
            from profilesmith.base.text import did_you_mean

            return (f"names {key!r}, which is no key of status item {item}"
                    f"{did_you_mean(key, members)}")
        schema = members[key]
    return None
