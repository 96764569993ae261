"""Activation predicates: Apple's NSPredicate format strings with DDM's ``@status(item)``,
``@property(key)`` and ``@key(name)`` references, parsed to find what a device would refuse
to parse (``Error.UnableToParsePredicate``) and which status items they read.

A small recursive-descent parser of our own: no library parses NSPredicate's format
outside Apple's Foundation (Python has none; general expression parsers such as pyparsing
grammars or a JavaScript/SQL parser disagree with it on quoting, keywords and operators),
and the DDM references are Apple's extension of it. The grammar is Apple's "Predicate
Format String Syntax": compound (AND/&&, OR/||, NOT/!), comparisons (==, =, !=, <>, <, <=,
=<, >, >=, =>, BETWEEN, IN, CONTAINS, BEGINSWITH, ENDSWITH, LIKE, MATCHES, UTI-CONFORMS-TO,
UTI-EQUALS, with [cdnl] options), aggregate qualifiers (ANY, ALL, NONE, SOME),
TRUEPREDICATE/FALSEPREDICATE, expressions (key paths, $variables, literals, {aggregates},
arithmetic, [index], functions, SUBQUERY, FUNCTION, CAST, TERNARY). Keywords are
case-insensitive, as NSPredicate's are.

:func:`parse` raises :class:`PredicateError` with the 0-based offset of the problem; the
result lists the status items read (with offsets), the comparisons of a status item with
literals, and notes: what parses but is doubtful (an unknown function, a quoted item name).
"""

from __future__ import annotations

from typing import NamedTuple

from profilesmith.base.lazyre import lazy
from profilesmith.ddm.predicate_expressions import ExpressionParser, Operand, shown
from profilesmith.ddm.predicate_lexer import OPERATORS, WORD_OPERATORS, PredicateError, tokens

_OPTIONS = lazy(r"[cdnl]{1,4}")


class Comparison(NamedTuple):
    left: Operand
    operator: str  # ==, !=, <, <=, >, >=, or the word operator in upper case
    right: Operand
    offset: int  # of the operator
    options: str = ""  # the [cd] letters


class Parsed(NamedTuple):
    status_items: list[tuple[str, int]]  # (name, offset of the name)
    comparisons: list[Comparison]
    notes: list[tuple[int, str]]  # (offset, why it is doubtful)


def parse(text: str) -> Parsed:
    if not text.strip():
        raise PredicateError(0, "the predicate is empty (leave Predicate out to always activate)")
    parser = _Parser(text, tokens(text))
    parser.predicate()
    end = parser.peek()
    if end.kind != "end":
        raise PredicateError(end.offset, f"unexpected {shown(end)} after a complete predicate "
                             "(a missing AND or OR?)")
    return Parsed(parser.status_items, parser.comparisons, parser.notes)


class _Parser(ExpressionParser):
    # -- predicates ----------------------------------------------------------------------

    def predicate(self) -> None:
        self.nested()
        self.conjunction()
        while self.word() == "OR" or self.is_op("||"):
            self.take()
            self.conjunction()
        self.depth -= 1

    def conjunction(self) -> None:
        self.negation()
        while self.word() == "AND" or self.is_op("&&"):
            self.take()
            self.negation()

    def negation(self) -> None:
        if self.word() == "NOT" or self.is_op("!"):
            self.take()
            self.nested()
            self.negation()
            self.depth -= 1
            return
        self.primary_predicate()

    def primary_predicate(self) -> None:
        if self.word() in ("TRUEPREDICATE", "FALSEPREDICATE"):
            self.take()
            return
        if self.is_op("("):
            # "(" opens a predicate or an expression ("(1 + 2) * 3 == 9"): try the first,
            # else read a comparison; report the error that got further
            start, saved = self.at, self._save()
            try:
                self.take()
                self.predicate()
                self.expect(")", "to close the parenthesis")
                if not self._continues_expression():
                    return
            except PredicateError as first:
                self.at = start
                self._restore(saved)
                try:
                    self.comparison()
                except PredicateError as second:
                    raise second if second.offset > first.offset else first from None
                return
            self.at = start
            self._restore(saved)
        self.comparison()

    def _save(self) -> tuple[int, int, int, int]:
        return (self.depth, len(self.status_items), len(self.comparisons), len(self.notes))

    def _restore(self, saved: tuple[int, int, int, int]) -> None:
        self.depth = saved[0]
        del self.status_items[saved[1]:]
        del self.comparisons[saved[2]:]
        del self.notes[saved[3]:]

    def _continues_expression(self) -> bool:
        token = self.peek()
        return (token.kind == "op" and (token.text in OPERATORS or token.text in
                                        "+-*/.[" or token.text == "**")) or (
            self.word() in WORD_OPERATORS)

    def comparison(self) -> None:
        if self.word() in ("ANY", "ALL", "NONE", "SOME"):
            self.take()
        left = self.expression()
        token = self.peek()
        if token.kind == "op" and token.text in OPERATORS:
            operator = OPERATORS[self.take().text]
        elif self.word(token) in WORD_OPERATORS:
            operator = self.word(self.take())
        else:
            raise PredicateError(token.offset, "expected a comparison (==, !=, <, >, IN, "
                                 f"CONTAINS, ...) after the expression, found {shown(token)}")
        options = self.options(operator) if self.is_op("[") else ""
        right = self.expression()
        self.comparisons.append(Comparison(left, operator, right, token.offset, options))

    def options(self, operator: str) -> str:
        start = self.take()
        word = self.peek()
        if word.kind != "word" or not _OPTIONS.fullmatch(word.text) or len(
                set(word.text)) != len(word.text):
            raise PredicateError(word.offset, "string options are letters of c "
                                 "(case-insensitive), d (diacritic-insensitive), n, l: "
                                 f"found {shown(word)}")
        if operator == "BETWEEN":
            raise PredicateError(start.offset, "BETWEEN takes no string options")
        self.take()
        self.expect("]", "to close the options")
        return word.text

