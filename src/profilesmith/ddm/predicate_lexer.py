"""The tokens of an activation predicate (NSPredicate's format string syntax with DDM's
@status(...), @property(...) and @key(...)): :mod:`profilesmith.ddm.predicate` parses them."""

from __future__ import annotations

from typing import NamedTuple

from profilesmith.base.lazyre import lazy

MAX_DEPTH = 100  # nesting; a predicate is a line or two, not a program
OPERATORS = {"==": "==", "=": "==", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=",
             "=<": "<=", ">": ">", ">=": ">=", "=>": ">="}
WORD_OPERATORS = frozenset({"BETWEEN", "IN", "CONTAINS", "BEGINSWITH", "ENDSWITH", "LIKE",
                            "MATCHES", "UTI-CONFORMS-TO", "UTI-EQUALS"})
RESERVED = frozenset({"AND", "OR", "NOT", "IN", "BETWEEN", "CONTAINS", "BEGINSWITH",
                      "ENDSWITH", "LIKE", "MATCHES", "ANY", "ALL", "NONE", "SOME",
                      "NULL", "NIL", "TRUE", "FALSE", "YES", "NO", "SELF", "FIRST", "LAST",
                      "SIZE", "TRUEPREDICATE", "FALSEPREDICATE", "SUBQUERY", "FUNCTION",
                      "CAST", "TERNARY", "UTI-CONFORMS-TO", "UTI-EQUALS"})
REFERENCES = ("status", "property", "key")  # DDM's @name(...) forms
COLLECTION_OPERATORS = frozenset({"count", "sum", "avg", "min", "max", "unionOfObjects",
                                  "distinctUnionOfObjects", "unionOfArrays",
                                  "distinctUnionOfArrays", "distinctUnionOfSets"})
# NSExpression's functions (name: or name:with:... as the format string spells them)
FUNCTIONS = frozenset({
    "average", "sum", "count", "min", "max", "median", "mode", "stddev", "sqrt", "log",
    "ln", "exp", "floor", "ceiling", "abs", "trunc", "random", "randomn", "now",
    "uppercase", "lowercase", "noindex", "distinct", "onesComplement", "add:to:",
    "from:subtract:", "multiply:by:", "divide:by:", "modulus:by:", "raise:toPower:",
    "bitwiseAnd:with:", "bitwiseOr:with:", "bitwiseXor:with:", "leftshift:by:",
    "rightshift:by:", "castObject:toType:",
})
_TOKEN = lazy(
    r"(?P<space>\s+)"
    r"|(?P<number>0[xX][0-9A-Fa-f]+|0[oO][0-7]+|0[bB][01]+"
    r"|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<string>['\"])"
    r"|(?P<op>\*\*|:=|==|!=|<>|<=|=<|>=|=>|&&|\|\||[=<>!(){}\[\],.+\-*/])"
    r"|(?P<format>%[@Kdifs%])"
    r"|(?P<at>@[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<var>\$[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<word>(?i:UTI-CONFORMS-TO|UTI-EQUALS)(?![A-Za-z0-9_])"
    r"|#?[A-Za-z_][A-Za-z0-9_]*(?::(?:[A-Za-z_][A-Za-z0-9_]*:)*)?)"
)


class PredicateError(ValueError):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset


class Token(NamedTuple):
    kind: str  # number string op at var word ref arg end
    text: str  # as written; a string's value; a ref's name (status), its arg's raw text
    offset: int


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise PredicateError(at, f"unexpected character {text[at]!r}")
        kind = match.lastgroup or ""
        if kind == "string":
            value, end = _string(text, at)
            found.append(Token("string", value, at))
            at = end
            continue
        if kind == "format":
            raise PredicateError(at, f"{match.group()} is a format argument: a predicate in a "
                                 "declaration is the final string, with the values written in")
        if kind == "at" and match.group()[1:] in REFERENCES:
            # @status(device.operating-system.version): the argument is raw text up to the
            # closing parenthesis (item names hold dashes)
            opening = match.end()
            while opening < len(text) and text[opening].isspace():
                opening += 1
            if opening < len(text) and text[opening] == "(":
                closing = text.find(")", opening + 1)
                if closing < 0:
                    raise PredicateError(opening, f"{match.group()}( is never closed")
                found.append(Token("ref", match.group()[1:], at))
                found.append(Token("arg", text[opening + 1:closing], opening + 1))
                at = closing + 1
                continue
        if kind != "space":
            found.append(Token(kind, match.group(), at))
        at = match.end()
    found.append(Token("end", "", len(text)))
    return found


def _string(text: str, start: int) -> tuple[str, int]:
    quote = text[start]
    at = start + 1
    value: list[str] = []
    while at < len(text):
        char = text[at]
        if char == "\\" and at + 1 < len(text):
            value.append(text[at + 1])
            at += 2
        elif char == quote:
            return "".join(value), at + 1
        else:
            value.append(char)
            at += 1
    raise PredicateError(start, f"the string that starts here never ends (no closing {quote})")


