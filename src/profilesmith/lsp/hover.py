"""Hover: the schema's facts about the key under the cursor, and the documentation of
the rules whose findings are there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from profilesmith.lsp import facts
from profilesmith.lsp.outline import Cursor
from profilesmith.schema import bundle

if TYPE_CHECKING:
    from profilesmith.lsp.diagnostics import Published
    from profilesmith.lsp.snapshot import Snapshot

# the key naming what a document or payload is: its schema's root describes the type
TYPE_KEYS = ("PayloadType", "RequestType", "Type", "MessageType")
_BOUNDS = (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"),
           ("exclusiveMaximum", "<"))


def describe(located: facts.Located) -> list[str]:
    """The facts about one key, as Markdown lines (the first is the title)."""
    key = located.key or "value"
    schema = located.schema
    if schema is None:
        parent = located.parent or {}
        if parent.get("additionalProperties") is False:
            return [f"**{key}** is not a key of the {located.label} (its schema lists "
                    "every key)"]
        return []
    lines = [f"**{key}** `<{facts.plist_type(schema)}>` · {facts.requirement(located)}"]
    details = _values(schema)
    items = located.nav.item(schema, 0) if "array" in located.nav.types(schema) else None
    if items:
        inner = _values(items)
        if inner:
            details.append(f"Items `<{facts.plist_type(items)}>`: " + "; ".join(inner))
    for word, label in (("minItems", "At least"), ("maxItems", "At most")):
        if word in schema:
            details.append(f"{label} {schema[word]} item(s)")
    if schema.get("uniqueItems"):
        details.append("Items must be unique")
    if "default" in schema:
        details.append(f"Default: {facts.shown(schema['default'])}")
    details.extend(facts.platforms(schema.get("x-platforms")))
    if schema.get("x-secret"):
        details.append("Secret: never shown in findings")
    if "x-references" in schema:
        details.append(f"Refers to: {_reference(schema['x-references'])}")
    if "x-combine-type" in schema:
        details.append(f"Combined with other declarations: {schema['x-combine-type']}")
    lines.extend(f"- {line}" for line in details)
    lines.append(f"- Schema: `{located.file}` ({located.label})")
    return lines


def _values(schema: dict[str, Any]) -> list[str]:
    found = []
    choices = facts.allowed(schema)
    if "const" in schema:
        found.append(f"Must be {facts.shown(schema['const'])}")
    elif choices:
        shown = ", ".join(facts.shown(v) for v in choices[:24])
        more = f", … ({len(choices)} in all)" if len(choices) > 24 else ""
        found.append(f"Allowed: {shown}{more}")
    bounds = [f"{sign} {schema[word]}" for word, sign in _BOUNDS if word in schema]
    if "minimum" in schema and "maximum" in schema:
        found.append(f"Range: {schema['minimum']} … {schema['maximum']}")
    elif bounds:
        found.append(f"Range: {', '.join(bounds)}")
    lengths = [f"{label} {schema[word]}" for word, label in
               (("minLength", "at least"), ("maxLength", "at most")) if word in schema]
    if lengths:
        found.append(f"Length: {' and '.join(lengths)} characters")
    if "pattern" in schema:
        found.append(f"Pattern: `{schema['pattern']}`")
    if "format" in schema:
        found.append(f"Format: {schema['format']}")
    return found


def _reference(kind: Any) -> str:
    if kind in ("configuration", "asset", "activation", "management"):
        return f"the Identifier of a {kind} declaration"
    if kind == "status-item":
        return "a status item name"
    return str(kind)


def type_facts(located: facts.Located, value: Any) -> list[str]:
    """For the key naming the type (PayloadType, Type, ...): the type's own facts."""
    try:
        root = bundle.document_schema(located.file)
    except (OSError, ValueError):
        return []
    declared = root.get("properties", {}).get(located.key, {}).get("const")
    if declared is None or declared != value:
        return []
    details = facts.platforms(root.get("x-platforms"))
    multiple = root.get("x-multiple")
    if multiple is not None:
        details.append("More than one per profile: " + ("yes" if multiple else "no"))
    for word, label in (("x-declaration-category", "Category"), ("x-apply", "Applied")):
        if word in root:
            details.append(f"{label}: {root[word]}")
    if not details:
        return []
    return [f"**{value}**", *(f"- {line}" for line in details)]


def key_at(cursor: Cursor) -> tuple[tuple[str, ...], tuple[int, int]] | None:
    """The tokens of the member the cursor is on (its key or its value) and the span to
    highlight."""
    if cursor.where == "key" and cursor.member is not None:
        return (*cursor.tokens, cursor.member.key), cursor.member.inner
    if cursor.where == "value" and cursor.tokens:
        return cursor.tokens, cursor.replace
    return None


def rule_docs(items: Sequence[Published], offset: int) -> list[str]:
    from profilesmith.lint.catalog import all_rules

    lines: list[str] = []
    seen = set()
    for item in items:
        finding = item.finding
        if not item.start <= offset <= item.end or finding.rule in seen:
            continue
        seen.add(finding.rule)
        rule = all_rules().get(finding.rule)
        lines.append(f"**{finding.rule}** ({finding.severity.value}): {finding.message}")
        if rule is not None and rule.doc:
            lines.append(f"```text\n{rule.doc}\n```")
    return lines


def hover(snapshot: Snapshot, offset: int, items: Sequence[Published] = ()
          ) -> tuple[str, tuple[int, int] | None] | None:
    """Markdown for the cursor at ``offset``, and the span it describes."""
    sections: list[str] = []
    span = None
    cursor = snapshot.cursor(offset)
    found = key_at(cursor) if cursor is not None else None
    if found is not None:
        tokens, span = found
        located = facts.locate(snapshot.value, tokens)
        if located is not None:
            described = describe(located)
            if described:
                sections.append("\n".join(described))
            if located.key in TYPE_KEYS and located.schema is not None:
                value = snapshot.value_at(tokens)
                typed = type_facts(located, value)
                if typed:
                    sections.append("\n".join(typed))
    docs = rule_docs(items, offset)
    if docs:
        sections.append("\n\n".join(docs))
    if not sections:
        return None
    return "\n\n---\n\n".join(sections), span
