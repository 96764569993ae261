"""Expressions of an activation predicate (key paths, @status(...) and the other DDM
references, literals, aggregates, arithmetic, functions, SUBQUERY): the part of the parser
:mod:`profilesmith.ddm.predicate` builds on."""

from __future__ import annotations

from typing import Any, NamedTuple

from profilesmith.base.lazyre import lazy
from profilesmith.ddm.predicate_lexer import (
    COLLECTION_OPERATORS,
    FUNCTIONS,
    MAX_DEPTH,
    REFERENCES,
    RESERVED,
    PredicateError,
    Token,
)

_ITEM = lazy(r"[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*")


class Operand(NamedTuple):
    """What a comparison compares: a status item (``value`` its name), a literal
    (``value`` the Python value), an aggregate of operands, or anything else."""

    kind: str  # status | literal | aggregate | other
    value: Any
    offset: int
    items: tuple[Operand, ...] = ()


def shown(token: Token) -> str:
    if token.kind == "end":
        return "end of the predicate"
    if token.kind == "string":
        return f"string {token.text!r}"
    return repr(token.text)


class ExpressionParser:
    """Tokens and expressions; :meth:`predicate` (SUBQUERY and TERNARY hold predicates) is
    the subclass's."""

    def __init__(self, text: str, found: list[Token]) -> None:
        self.text = text
        self.tokens = found
        self.at = 0
        self.depth = 0
        self.status_items: list[tuple[str, int]] = []
        self.comparisons: list[Any] = []  # the subclass's Comparison
        self.notes: list[tuple[int, str]] = []

    # -- tokens --------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.peek()
        self.at = min(self.at + 1, len(self.tokens) - 1)
        return token

    def word(self, token: Token | None = None) -> str:
        token = token or self.peek()
        return token.text.upper() if token.kind == "word" else ""

    def is_op(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def expect(self, op: str, after: str) -> Token:
        token = self.peek()
        if token.kind != "op" or token.text != op:
            raise PredicateError(token.offset, f"expected {op!r} {after}, found {shown(token)}")
        return self.take()

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PredicateError(self.peek().offset, "the predicate nests too deeply")

    # -- expressions ---------------------------------------------------------------------

    def expression(self) -> Operand:
        self.nested()
        left = self.term()
        while self.is_op("+", "-"):
            self.take()
            self.term()
            left = Operand("other", None, left.offset)
        self.depth -= 1
        return left

    def term(self) -> Operand:
        left = self.power()
        while self.is_op("*", "/"):
            self.take()
            self.power()
            left = Operand("other", None, left.offset)
        return left

    def power(self) -> Operand:
        left = self.unary()
        while self.is_op("**"):
            self.take()
            self.unary()
            left = Operand("other", None, left.offset)
        return left

    def unary(self) -> Operand:
        if self.is_op("-"):
            sign = self.take()
            self.nested()
            operand = self.unary()
            self.depth -= 1
            if operand.kind == "literal" and isinstance(operand.value, int | float):
                return Operand("literal", -operand.value, sign.offset)
            return Operand("other", None, sign.offset)
        return self.postfix(self.primary())

    def postfix(self, operand: Operand) -> Operand:
        while True:
            if self.is_op("."):
                self.take()
                self.component()
                operand = Operand("other", None, operand.offset)
            elif self.is_op("["):
                self.take()
                if self.word() in ("FIRST", "LAST", "SIZE"):
                    self.take()
                else:
                    self.expression()
                self.expect("]", "to close the index")
                operand = Operand("other", None, operand.offset)
            else:
                return operand

    def component(self) -> None:
        """One key path component after a dot."""
        token = self.peek()
        if token.kind == "ref":
            self.reference()
            return
        if token.kind == "at":
            self.at_name()
            return
        if token.kind != "word":
            raise PredicateError(token.offset, f"expected a key after '.', found {shown(token)}")
        self.key_name(self.take())

    def key_name(self, token: Token) -> None:
        if token.text.startswith("#"):
            return  # an escaped reserved word
        if token.text.upper() in RESERVED:
            raise PredicateError(token.offset, f"{token.text} is a reserved word, not a key "
                                 f"(write #{token.text} for a key of that name)")

    def at_name(self) -> Operand:
        token = self.take()
        name = token.text[1:]
        if name in REFERENCES:
            raise PredicateError(self.peek().offset,
                                 f"{token.text} needs its argument: {token.text}(...)")
        if name in COLLECTION_OPERATORS:
            if self.is_op("("):
                raise PredicateError(self.peek().offset, f"@{name} is a collection operator "
                                     f"and takes no argument: write collection.@{name}")
            return Operand("other", None, token.offset)
        from profilesmith.base.text import did_you_mean

        hint = did_you_mean(token.text, [f"@{n}" for n in (*REFERENCES, *COLLECTION_OPERATORS)])
        raise PredicateError(token.offset, f"unknown {token.text}: DDM predicates read "
                             f"@status(item), @property(key) and @key(name){hint}")

    def reference(self) -> Operand:
        """@status(item.name), @property(key), @key(name)."""
        token, arg = self.take(), self.take()
        label = f"@{token.text}({arg.text.strip()})"
        inner = arg.text.strip()
        where = arg.offset + len(arg.text) - len(arg.text.lstrip())
        if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
            inner = inner[1:-1]
            self.notes.append((where, f"{label}: Apple writes the name without quotes; "
                               "devices may not read a quoted one"))
            where += 1
        if not inner:
            raise PredicateError(arg.offset, f"{label} names nothing")
        if not _ITEM.fullmatch(inner):
            raise PredicateError(where, f"{label}: not a name (letters, digits, '-' and '_', "
                                 "parts separated by dots)")
        if token.text == "status":
            self.status_items.append((inner, where))
            return Operand("status", inner, token.offset)
        return Operand("other", None, token.offset)

    def primary(self) -> Operand:
        token = self.peek()
        kind = token.kind
        if kind == "number":
            self.take()
            return Operand("literal", _number(token), token.offset)
        if kind == "string":
            self.take()
            return Operand("literal", token.text, token.offset)
        if kind == "ref":
            return self.reference()
        if kind == "at":
            return self.at_name()
        if kind == "var":
            self.take()
            if self.is_op(":="):
                self.take()
                self.expression()
            return Operand("other", None, token.offset)
        if kind == "op" and token.text == "{":
            return self.aggregate()
        if kind == "op" and token.text == "(":
            self.take()
            inner = self.expression()
            self.expect(")", "to close the parenthesis")
            return inner
        if kind == "word":
            return self.word_primary(token)
        raise PredicateError(token.offset, f"expected a value, found {shown(token)}")

    def aggregate(self) -> Operand:
        start = self.take()
        items: list[Operand] = []
        if not self.is_op("}"):
            items.append(self.expression())
            while self.is_op(","):
                self.take()
                items.append(self.expression())
        self.expect("}", "to close the aggregate")
        return Operand("aggregate", None, start.offset, tuple(items))

    def word_primary(self, token: Token) -> Operand:
        upper = token.text.upper()
        self.take()
        if upper in ("TRUE", "YES"):
            return Operand("literal", True, token.offset)
        if upper in ("FALSE", "NO"):
            return Operand("literal", False, token.offset)
        if upper in ("NULL", "NIL"):
            return Operand("literal", None, token.offset)
        if upper == "SELF":
            return Operand("other", None, token.offset)
        if upper == "SUBQUERY":
            self.expect("(", "after SUBQUERY")
            self.expression()
            self.expect(",", "after the SUBQUERY collection")
            variable = self.peek()
            if variable.kind != "var":
                raise PredicateError(variable.offset, "SUBQUERY's second argument is a "
                                     f"$variable, found {shown(variable)}")
            self.take()
            self.expect(",", "after the SUBQUERY variable")
            self.predicate()
            self.expect(")", "to close SUBQUERY")
            return Operand("other", None, token.offset)
        if upper == "TERNARY":
            self.expect("(", "after TERNARY")
            self.predicate()
            for _ in range(2):
                self.expect(",", "between TERNARY's arguments")
                self.expression()
            self.expect(")", "to close TERNARY")
            return Operand("other", None, token.offset)
        if upper in ("FUNCTION", "CAST") or self.is_op("("):
            return self.call(token, upper)
        self.key_name(token)
        return Operand("other", None, token.offset)

    def call(self, token: Token, upper: str) -> Operand:
        self.expect("(", f"after {token.text}")
        count = 0
        if not self.is_op(")"):
            self.expression()
            count = 1
            while self.is_op(","):
                self.take()
                self.expression()
                count += 1
        self.expect(")", f"to close {token.text}(")
        if upper in ("FUNCTION", "CAST"):
            if count < 2:
                raise PredicateError(token.offset, f"{token.text} takes at least two arguments")
        elif token.text not in FUNCTIONS:
            from profilesmith.base.text import did_you_mean

            self.notes.append((token.offset, f"{token.text}() is no function NSExpression "
                               f"knows{did_you_mean(token.text, FUNCTIONS)}"))
        return Operand("other", None, token.offset)

    def predicate(self) -> None:
        raise NotImplementedError


def _number(token: Token) -> int | float:
    text = token.text.lower()
    if text.startswith(("0x", "0o", "0b")):
        return int(text, 0)
    if any(c in text for c in ".e"):
        return float(text)
    return int(text)
