"""DDM: activation predicates (profilesmith.ddm.predicate parses them) and the status items
declarations name (profilesmith.ddm.catalogue knows them). Positions inside a predicate
are given in the message as the character (1-based) of the Predicate string; the
finding's line and column are the string's own."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Document

if TYPE_CHECKING:
    from profilesmith.ddm.predicate import Parsed

PREDICATE = "/Payload/Predicate"

_CACHE = "ddm.predicate"


def _near(text: str, offset: int) -> str:
    """Where ``offset`` is in ``text``, for a one-line message: a few characters either
    side, ``^`` at the place."""
    before = text[max(0, offset - 24):offset]
    after = text[offset:offset + 16]
    lead = "..." if offset > 24 else ""
    tail = "..." if offset + 16 < len(text) else ""
    return f"{lead}{before}^{after}{tail}".replace("\n", " ")


def _at(text: str, offset: int) -> str:
    return f"at character {offset + 1} ({_near(text, offset)!r})"


def _parsed(doc: Document, ctx: Context) -> tuple[str, Any] | None:
    """(predicate text, parse result or PredicateError), parsed once per document."""
    if doc.kind != "declaration":
        return None
    payload = doc.root.get("Payload")
    text = payload.get("Predicate") if isinstance(payload, dict) else None
    if not isinstance(text, str):
        return None
    key = _CACHE  # the context is the document's own
    if key not in ctx.cache:
        from profilesmith.ddm.predicate import parse
        from profilesmith.ddm.predicate_lexer import PredicateError

        try:
            ctx.cache[key] = parse(text)
        except PredicateError as exc:
            ctx.cache[key] = exc
    return text, ctx.cache[key]


def _parsed_ok(doc: Document, ctx: Context) -> tuple[str, Parsed] | None:
    """The predicate and what it reads, when there is one and it parses."""
    found = _parsed(doc, ctx)
    if found is None or isinstance(found[1], Exception):
        return None
    return found[0], found[1]


@rule("DDM030", Severity.ERROR)
def predicate_syntax(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An activation's Predicate does not parse.

    A predicate is an NSPredicate format string over status items (``@status(name)``) and
    management properties (``@property(key)``): comparisons (==, !=, <, >=, IN, BETWEEN,
    CONTAINS, BEGINSWITH, LIKE, MATCHES, ...), AND/OR/NOT, ANY/ALL, string, number,
    boolean and NULL literals, {aggregates}, SUBQUERY. A device that cannot parse it
    reports Error.UnableToParsePredicate and installs none of the activation's
    configurations. The message says what is wrong and where (the character of the
    predicate, with the text around it). What parses but is doubtful is a warning: a
    function NSExpression does not know, a status item name in quotes.

    Fails:   "Predicate": "@status(device.model.family) == 'iPad' AND"
    Passes:  "Predicate": "@status(device.model.family) == 'iPad'"
    """
    found = _parsed(doc, ctx)
    if found is None:
        return
    text, result = found
    from profilesmith.ddm.predicate_lexer import PredicateError

    if isinstance(result, PredicateError):
        yield Hit(PREDICATE, f"Predicate does not parse {_at(text, result.offset)}: {result}")
        return
    for offset, note in result.notes:
        yield Hit(PREDICATE, f"Predicate {_at(text, offset)}: {note}",
                  severity=Severity.WARNING)


@rule("DDM031", Severity.WARNING)
def predicate_unknown_status_item(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An activation's Predicate reads a status item the bundled Apple data does not have.

    ``@status(name)`` reads the device's value of a status item (or a key inside one,
    ``@status(management.declarations.configurations)``). A misspelt name reads nothing,
    and the predicate silently compares with null. A warning: devices newer than the
    bundled data report newer items (the message names the data).

    Fails:   "Predicate": "@status(device.operating-system.famly) == 'iPadOS'"
    Passes:  "Predicate": "@status(device.operating-system.family) == 'iPadOS'"
    """
    found = _parsed_ok(doc, ctx)
    if found is None:
        return
    from profilesmith.ddm.catalogue import status_problem

    text, parsed = found
    for name, offset in parsed.status_items:
        problem = status_problem(name)
        if problem is not None:
            yield Hit(PREDICATE, f"Predicate {_at(text, offset)}: @status({name}) {problem}")


_SCALARS = {"boolean": (bool,), "string": (str,), "integer": (int,), "number": (int, float)}
_ORDERING = frozenset({"==", "!=", "<", "<=", ">", ">=", "IN", "BETWEEN"})
_TEXT_OPERATORS = frozenset({"CONTAINS", "BEGINSWITH", "ENDSWITH", "LIKE", "MATCHES"})


def _mismatch(schema: Mapping[str, Any], value: Any, folded: bool) -> str | None:
    kind = schema.get("type")
    if value is None or kind not in _SCALARS:
        return None
    if kind == "boolean" and type(value) is int and value in (0, 1):
        return None  # NSNumber: YES is 1
    if not isinstance(value, _SCALARS[str(kind)]) or (
            kind != "boolean" and isinstance(value, bool)):
        found = "a boolean" if isinstance(value, bool) else (
            "a string" if isinstance(value, str) else "a number")
        return f"is {'an' if kind == 'integer' else 'a'} {kind}, compared with {found} ({value!r})"
    allowed = schema.get("enum")
    if isinstance(allowed, list) and isinstance(value, str):
        wanted = value.casefold() if folded else value
        if not any(isinstance(a, str) and (a.casefold() if folded else a) == wanted
                   for a in allowed):
            case = "" if folded else " (letter case counts unless the operator has [c])"
            return (f"takes the values {', '.join(map(str, allowed))}: never {value!r}"
                    f"{case}")
    return None


@rule("DDM032", Severity.WARNING)
def predicate_compares_other_type(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An activation's Predicate compares a status item with a value it never has.

    A boolean item compared with the string 'true', a string item (an OS version is the
    string '17.4') with a number, an item with listed values (softwareupdate.install-state)
    with one that is not among them: the comparison is never true (or the device cannot
    evaluate it), so the activation never applies its configurations, or always does.

    Fails:   "Predicate": "@status(passcode.is-compliant) == 'true'"
    Passes:  "Predicate": "@status(passcode.is-compliant) == TRUE"
    """
    found = _parsed_ok(doc, ctx)
    if found is None:
        return
    from profilesmith.ddm.catalogue import status_value

    text, parsed = found
    for comparison in parsed.comparisons:
        left, right = comparison.left, comparison.right
        if right.kind == "status" and left.kind == "literal":
            left, right = right, left  # 17 <= @status(...): the same comparison
        if left.kind != "status":
            continue
        schema = status_value(left.value)
        if schema is None:
            continue  # DDM031 says so
        operator = comparison.operator
        values = [item.value for item in right.items if item.kind == "literal"] \
            if right.kind == "aggregate" else [right.value] if right.kind == "literal" else []
        if operator in _TEXT_OPERATORS and schema.get("type") in ("boolean", "integer",
                                                                 "number"):
            problem: str | None = f"is a {schema['type']}, not text for {operator}"
        elif operator in _ORDERING:
            folded = "c" in comparison.options
            problem = next((p for v in values if (p := _mismatch(schema, v, folded))), None)
        else:
            continue
        if problem is not None:
            yield Hit(PREDICATE, f"Predicate {_at(text, comparison.offset)}: "
                      f"@status({left.value}) {problem}")


@rule("DDM033", Severity.WARNING)
def subscription_unknown_status_item(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A status subscription names a status item the bundled Apple data does not have.

    The device reports only the items it knows; a misspelt name is silently never
    reported, and the server waits for status that never comes. A subscription names a
    whole item (device.operating-system.version), not a group of them (device) nor a key
    inside one. A warning: devices newer than the data know newer items.

    Fails:   "StatusItems": [{"Name": "device.operating-system.verison"}]
    Passes:  "StatusItems": [{"Name": "device.operating-system.version"}]
    """
    if doc.kind != "declaration":
        return
    from profilesmith.ddm import catalogue

    for reference in catalogue.references(doc.type, doc.root):
        if reference.refers == "status-item":
            problem = catalogue.subscription_problem(reference.value)
            if problem is not None:
                yield Hit(reference.pointer, f"status item {reference.value!r} {problem}")
