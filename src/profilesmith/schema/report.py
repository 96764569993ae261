"""Schema errors -> SCH/AVL findings: which rule, where, and a message that names the key
and the plist types without echoing long or secret values (rules/schema.py documents the
rules)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.lazyre import lazy
from profilesmith.base.platforms import NO_DEPLOYMENT, Deployment, Version
from profilesmith.base.pointers import join_pointer, parent_pointer, pointer_tokens
from profilesmith.base.secrets import secret_pointer
from profilesmith.schema.validator import Error, Note

if TYPE_CHECKING:
    from profilesmith.schema.check import Target

_OBJECT_KINDS = frozenset({"required", "additionalProperties", "dependentRequired",
                           "minProperties", "maxProperties", "propertyNames"})
_RULES = {
    "type": "SCH001", "false": "SCH001",
    "required": "SCH002", "dependentRequired": "SCH002",
    "pattern": "SCH004", "format": "SCH004",
    "additionalProperties": "SCH005",
}  # every other keyword (enum, const, ranges, lengths, counts, combinators): SCH003
_JSON_TO_PLIST = {"string": "string", "integer": "integer", "number": "real",
                  "boolean": "boolean", "array": "array", "object": "dictionary"}
_PAYLOAD = lazy(r"/PayloadContent/\d+")


def plist_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    for kind, name in ((dict, "dictionary"), (list, "array"), (str, "string"),
                       (int, "integer"), (float, "real"), (bytes, "data"),
                       (datetime, "date")):
        if isinstance(value, kind):
            return name
    return "unknown"


def expected_type(schema: Mapping[str, Any]) -> str:
    declared = schema.get("x-plist-type")
    if isinstance(declared, str):
        return declared
    names = schema.get("type")
    names = [names] if isinstance(names, str) else list(names or [])
    return " or ".join(f"{_JSON_TO_PLIST.get(n, n)}" for n in names) or "another type"


def is_secret(pointer: str, schema: Mapping[str, Any] | None = None) -> bool:
    if schema is not None and schema.get("x-secret") is True:
        return True
    return secret_pointer(pointer)  # keys never echoed, whatever their schema says


def shown(value: Any, pointer: str, schema: Mapping[str, Any] | None = None, *,
          limit: int = 40) -> str | None:
    """A short rendering of a value for a message, or None when it must not be shown
    (a secret) or is not short (a string of more than ``limit`` characters, data, ...)."""
    if is_secret(pointer, schema):
        return None
    return short_form(value, limit=limit)


def short_form(value: Any, *, limit: int = 40) -> str | None:
    """``shown`` for a value already known not to be secret."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str) and len(value) <= limit and value.isprintable():
        return repr(value)
    return None


class Reporter:
    """Turns one document's validation results into (rule, Hit) pairs, once each."""

    def __init__(self, tolerances: Mapping[tuple[str, str, str], str | None],
                 platforms: tuple[str, ...], minimums: Mapping[str, Version] | None = None,
                 deployment: Deployment = NO_DEPLOYMENT) -> None:
        self.tolerances = tolerances
        self.platforms = platforms
        self.minimums: Mapping[str, Version] = minimums or {}
        self.deployment = deployment
        self.seen: set[tuple[str, str]] = set()

    def report(self, target: Target, errors: list[Error],
               notes: list[Note]) -> Iterator[tuple[str, Hit]]:
        for rule_id, hit in self._hits(target, errors, notes):
            key = (rule_id, hit.pointer)
            if key not in self.seen:
                self.seen.add(key)
                yield rule_id, hit

    def _hits(self, target: Target, errors: list[Error],
              notes: list[Note]) -> Iterator[tuple[str, Hit]]:
        # a value of the wrong type gets that one finding, nothing about its insides
        typed = {e.pointer for e in errors if _is_type_error(e)}
        for error in errors:
            if _is_type_error(error):
                if _coerced_boolean(error):
                    yield "SCH006", Hit(error.pointer, f"{_name(error.pointer)}: expected "
                                        f"<boolean>, found <integer> {error.value} (devices "
                                        "read 0 and 1 as false and true; write <true/> or "
                                        "<false/>)")
                elif _coerced_integer(error):
                    yield "SCH006", Hit(error.pointer, f"{_name(error.pointer)}: expected "
                                        f"<integer> 0 or 1, found <{plist_type(error.value)}> "
                                        "(devices read true and false as 1 and 0; write "
                                        f"<integer>{int(error.value)}</integer>)")
                else:
                    yield "SCH001", self.type_hit(error)
            elif not _below(error.pointer, typed):
                found = self.error_hit(target, error)
                if found is not None:
                    yield found
        for note in notes:
            if note.kind == "coerced" and not _below(note.pointer, typed):
                yield "SCH006", Hit(note.pointer,
                                    f"{_name(note.pointer)}: expected <integer>, found <real> "
                                    "(devices read it as an integer; write <integer>)")
        if self.platforms:
            yield from self.availability(target, notes)

    def type_hit(self, error: Error) -> Hit:
        found = plist_type(error.value)
        return Hit(error.pointer, f"{_name(error.pointer)}: expected "
                   f"<{expected_type(error.schema)}>, found <{found}>")

    def error_hit(self, target: Target, error: Error) -> tuple[str, Hit] | None:
        kind = error.kind
        if error.key is None:
            rule_id = _RULES.get(kind, "SCH003")
            spelled = _case_only(error) if kind == "enum" else None
            if spelled is not None:
                # devices may compare these case-insensitively; not knowing, warn
                return rule_id, Hit(error.pointer, f"{_name(error.pointer)}: "
                                    f"{shown(error.value, error.pointer, error.schema)} differs "
                                    f"from the allowed {spelled!r} only in letter case",
                                    severity=Severity.WARNING)
            return rule_id, Hit(error.pointer, _message(error))
        pointer = join_pointer(error.pointer, error.key)
        if kind == "additionalProperties":
            owner = target.label if error.pointer == target.pointer else _name(error.pointer)
            found = "SCH005", Hit(pointer, f"unknown key {error.key!r} (not a key of {owner})",
                                  at="key")
        else:  # required, dependentRequired
            found = "SCH002", Hit(pointer, f"{_name(pointer)}: required key is missing")
        where = "payload" if target.level != "command" and _PAYLOAD.fullmatch(
            error.pointer) else ""
        if target.level == "declaration" and error.pointer == target.pointer:
            where = "declaration"  # the envelope (Type, Identifier, ServerToken, Payload)
        payload_type = target.value.get("PayloadType") if (
            error.pointer == target.pointer and target.level == "payload") else None
        for scope in (str(payload_type), where, "*"):
            if (scope, kind, error.key) in self.tolerances:
                tolerated = self.tolerances[(scope, kind, error.key)]
                if tolerated is None:
                    return None
                return tolerated, found[1]._replace(
                    message=f"{found[1].message} (devices accept this)")
        return found

    def availability(self, target: Target, notes: list[Note]) -> Iterator[tuple[str, Hit]]:
        """AVL findings on the targeted platforms, versions and deployment
        (:mod:`profilesmith.schema.availability`)."""
        from profilesmith.schema import availability

        limits: dict[str, dict[str, Any]] = {}
        for note in notes:
            if note.kind == "x-platforms":
                facts = note.schema.get("x-platforms")
                if isinstance(facts, Mapping):
                    limits.setdefault(note.pointer, {}).update(facts)
        yield from availability.findings(target.pointer, target.label, _name, limits,
                                         self.platforms, self.minimums, self.deployment,
                                         device_sent=target.level == "message")


def _below(pointer: str, tops: set[str]) -> bool:
    """Whether ``pointer`` is one of ``tops`` or inside one of them."""
    at: str | None = pointer
    while at is not None:
        if at in tops:
            return True
        at = parent_pointer(at)
    return False


def _coerced_boolean(error: Error) -> bool:
    # NSNumber serves both <integer> and <true/>: devices read 0 and 1 as booleans (real
    # PPPC profiles from Cisco, Bitdefender and Fortinet write <integer>1</integer>)
    return (error.kind == "type" and error.schema.get("x-plist-type") == "boolean"
            and type(error.value) is int and error.value in (0, 1))


def _coerced_integer(error: Error) -> bool:
    # the other way round: <true/> where Apple says <integer> 0 or 1 (IKEv2 EnablePFS in
    # real VPN profiles); a boolean is an NSNumber too
    schema = error.schema
    return (error.kind == "type" and schema.get("x-plist-type") == "integer"
            and type(error.value) is bool
            and (set(schema.get("enum", ())) <= {0, 1} if "enum" in schema else
                 schema.get("minimum") == 0 and schema.get("maximum") == 1))


def _is_type_error(error: Error) -> bool:
    if error.kind in ("type", "false"):
        return True
    # a <data>/<date> where a dictionary is expected, or a dictionary where <data>/<date>
    # is: in the JSON projection that is an object with the wrong members, for a reader
    # of plists a wrong type
    return error.kind in _OBJECT_KINDS and (
        isinstance(error.value, bytes | datetime)
        or error.schema.get("x-plist-type") in ("data", "date")
    )


def _name(pointer: str) -> str:
    """The key path a message names: the payload-relative path of the value."""
    match = _PAYLOAD.match(pointer)
    rest = pointer[match.end():] if match else pointer
    if rest.startswith("/Command/") and not match:
        rest = rest[len("/Command"):]
    if not rest:
        return pointer[1:] if pointer else "the document"
    return "/".join(pointer_tokens(rest))


def _case_only(error: Error) -> str | None:
    """The allowed value that the rejected string matches but for letter case."""
    if not isinstance(error.value, str):
        return None
    folded = error.value.casefold()
    for allowed in error.schema.get("enum", ()):
        if isinstance(allowed, str) and allowed.casefold() == folded:
            return allowed
    return None


def _message(error: Error) -> str:
    kind = error.kind
    schema = error.schema
    name = _name(error.pointer)
    value = shown(error.value, error.pointer, schema)
    what = value if value is not None else "the value"
    if kind == "enum":
        allowed = ", ".join(str(a) for a in schema["enum"][:12])
        more = ", ..." if len(schema["enum"]) > 12 else ""
        return f"{name}: {what} is not allowed (allowed: {allowed}{more})"
    if kind == "const":
        return f"{name}: {what} is not allowed (must be {schema['const']})"
    bounds = {"minimum": "less than the minimum", "maximum": "more than the maximum",
              "exclusiveMinimum": "not more than", "exclusiveMaximum": "not less than"}
    if kind in bounds:
        return f"{name}: {what} is {bounds[kind]} {schema[kind]}"
    sizes = {"minLength": ("shorter than", "characters"), "maxLength": ("longer than",
                                                                         "characters"),
             "minItems": ("fewer than", "items"), "maxItems": ("more than", "items"),
             "minProperties": ("fewer than", "keys"), "maxProperties": ("more than", "keys")}
    if kind in sizes:
        relation, unit = sizes[kind]
        return f"{name}: {relation} {schema[kind]} {unit}"
    if kind == "uniqueItems":
        return f"{name}: items must be unique"
    if kind == "pattern":
        return f"{name}: {what} does not match {schema['pattern']}"
    if kind == "format":
        return f"{name}: {what} is not a valid {schema['format']}"
    return f"{name}: {what} does not match the allowed forms ({kind})"
