"""The rule registry: every rule's ID, default severity, documentation, and where its
findings come from.

Two kinds of entry:

- a **check** (:func:`rule`): a function the engine runs, ``check(subject, ctx)``, where
  ``subject`` is the Document (scope ``document``), one Payload (``payload``) or the
  Summaries of every file of the run (``corpus``), and ``ctx`` the lint
  :class:`~profilesmith.lint.context.Context`; it yields :class:`Hit` values;
- a finding **emitted elsewhere** (:func:`emitted`): the readers (PAR), the schema layer
  (SCH, AVL) and ``diff`` (UPD) produce these themselves; the entry documents the rule
  and names the modules that report it (``profilesmith explain`` shows them).

Rule modules register themselves when imported; :mod:`profilesmith.lint.catalog`
imports them all and is how the rest of the program looks rules up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from profilesmith.base.findings import Hit, Severity

if TYPE_CHECKING:
    from profilesmith.lint.context import Context

Scope = Literal["document", "payload", "corpus"]
# what every check is: (subject, context) -> hits; the subject's type follows the scope
Check = Callable[[Any, "Context"], Iterable[Hit]]


class Rule(NamedTuple):
    id: str
    severity: Severity
    scope: Scope | None  # None: emitted elsewhere
    check: Check | None
    raw_doc: str
    payload_types: frozenset[str] | None = None
    emitted_by: tuple[str, ...] = ()  # the modules that report it, when not a check

    @property
    def doc(self) -> str:
        """The documentation, cleaned only when asked for (``explain``, SARIF): cleaning
        every rule's docstring at import would slow down every lint, and importing
        inspect (with ast, dis and tokenize) costs a one-file lint ~3 ms."""
        import inspect

        return inspect.cleandoc(self.raw_doc)

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    @property
    def summary(self) -> str:
        return summary_line(self.doc)

    @property
    def origin(self) -> str:
        """Where the findings are produced: the check function, or the emitting modules."""
        if self.check is not None:
            return f"{self.check.__module__}.{self.check.__qualname__}"
        return ", ".join(self.emitted_by)


def summary_line(doc: str) -> str:
    """The first line of a cleaned rule documentation ("" when there is none)."""
    text = doc.strip()
    return text.splitlines()[0] if text else ""


# every registered rule by ID; read it through profilesmith.lint.catalog
RULES: dict[str, Rule] = {}


def _register(entry: Rule) -> None:
    if entry.id in RULES:
        raise ValueError(f"rule {entry.id} registered twice")
    RULES[entry.id] = entry


def rule(
    rule_id: str,
    severity: Severity,
    *,
    scope: Scope = "document",
    payload_types: Iterable[str] | None = None,
) -> Callable[[Check], Check]:
    """Register a check; the decorated function's docstring is its documentation."""

    def decorate(func: Check) -> Check:
        _register(Rule(
            id=rule_id,
            severity=severity,
            scope=scope,
            check=func,
            raw_doc=func.__doc__ or "",
            payload_types=frozenset(payload_types) if payload_types is not None else None,
        ))
        return func

    return decorate


def emitted(
    rule_id: str, severity: Severity, *, by: str | Iterable[str]
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Register a rule whose findings the modules ``by`` produce; the decorated
    function is documentation only (its docstring), never called."""

    def decorate(func: Callable[[], None]) -> Callable[[], None]:
        _register(Rule(
            id=rule_id,
            severity=severity,
            scope=None,
            check=None,
            raw_doc=func.__doc__ or "",
            emitted_by=(by,) if isinstance(by, str) else tuple(by),
        ))
        return func

    return decorate
