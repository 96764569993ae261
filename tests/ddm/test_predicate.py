"""The activation predicate parser: what Apple documents parses, what a device refuses
does not, with the offset of the problem and what is wrong."""

from __future__ import annotations

import pytest

from profilesmith.ddm.predicate import parse
from profilesmith.ddm.predicate_lexer import PredicateError

# Apple's own (the activation reference, WWDC 2022 "Adopt declarative device management")
APPLE = [
    "@status(device.model.family) == 'AppleTV'",
    "@status(device.model.family) == 'iPhone'",
    'SUBQUERY(@status(mdm.app), $app, ($app.@key(identifier) == "com.example.app") AND '
    '($app.@key(state) == "managed")).@count == 1',
    '(@property(age) >= 18) AND ("Grade12" IN @property(roles))',
    "@status(device.operating-system.version) >= '17.0'",
]
GRAMMAR = [
    "TRUEPREDICATE", "truepredicate and not falsepredicate",
    "NOT (@status(device.model.family) == 'Mac')",
    "@status(a.b) == 1 && @property(c) == 2", "@status(a.b) == 1 || !(@property(c) == 2)",
    "@status( device.model.family ) == 'iPad'", "@property(age) => 18",
    "@property(age) =< 18", "@property(age) <> 18", "@property(age) = 18",
    "@status(x.y) BETWEEN {1, 10}", "@status(device.model.family) IN {'iPhone', 'iPad'}",
    "@property(x) IN {}", "@property(name) CONTAINS[cd] 'smith'",
    "@property(name) ==[c] 'jordan'", "@property(name) like 'J*'",
    "@status(device.model.marketing-name) MATCHES '.*Pro.*'",
    "ANY @property(roles) == 'admin'", "ALL @property(scores) >= 50",
    "NONE @property(roles) == 'banned'", "@status(test.array-value).@count > 0",
    "@property(list)[FIRST] == 'a'", "@property(list)[SIZE] == 3", "@property(list)[0] == 'a'",
    "sum(@property(scores)) > 100", "now() > $lastSeen", "1 + 2 * 3 == 7",
    "(1 + 2) * 3 == 9", "2 ** 3 == 8", "-5 < @property(x)", "a-b == 1",
    r"@property(name) == 'O\'Brien'", '@property(name) == "double \\"quoted\\""',
    "@property(code) == 0x1F", "@property(ratio) == 1.5e-3", "$context == 'kiosk'",
    "SELF == 'value'", "#size == 5", "($x := 5) == 5", "item.name == 'x'",
    "modulus:by:(10, 3) == 1", "x UTI-CONFORMS-TO 'public.data'",
    "((@status(a.b) == 1))", "(@status(a) == 1) AND ((@status(b) == 2) OR (@status(c) == 3))",
    "TERNARY(@status(a) == 1, 'x', 'y') == 'x'", "CAST('17', 'NSNumber') > 16",
    "@status(device.model.family) == nil",
]


@pytest.mark.parametrize("text", APPLE + GRAMMAR)
def test_valid_predicates_parse_without_notes(text: str) -> None:
    assert parse(text).notes == []


@pytest.mark.parametrize(("text", "offset", "message"), [
    ("", 0, "the predicate is empty (leave Predicate out to always activate)"),
    ("== 5", 0, "expected a value, found '=='"),
    ("@status(a) ==", 13, "expected a value, found end of the predicate"),
    ("@status(a) === 1", 13, "expected a value, found '='"),
    ("@status(a) == 'x' OR", 20, "expected a value, found end of the predicate"),
    ("@status(a)", 10, "expected a comparison (==, !=, <, >, IN, CONTAINS, ...) after the "
     "expression, found end of the predicate"),
    ("@status(a) == 'x' extra", 18, "unexpected 'extra' after a complete predicate (a "
     "missing AND or OR?)"),
    ("TRUEPREDICATE TRUEPREDICATE", 14, "unexpected 'TRUEPREDICATE' after a complete "
     "predicate (a missing AND or OR?)"),
    ("(@status(a) == 1", 16, "expected ')' to close the parenthesis, found end of the "
     "predicate"),
    ("(@status(a) == )", 15, "expected a value, found ')'"),
    ("@status(a) == 'open", 14, "the string that starts here never ends (no closing ')"),
    ("@status(a) CONTAINS[x] 'b'", 20, "string options are letters of c "
     "(case-insensitive), d (diacritic-insensitive), n, l: found 'x'"),
    ("@status(a) BETWEEN[c] {1, 2}", 18, "BETWEEN takes no string options"),
    ("@status(a) == %@", 14, "%@ is a format argument: a predicate in a declaration is the "
     "final string, with the values written in"),
    ("AND == 1", 0, "AND is a reserved word, not a key (write #AND for a key of that name)"),
    ("@status == 'x'", 8, "@status needs its argument: @status(...)"),
    ("@Status(device.model.family) == 'x'", 0, "unknown @Status: DDM predicates read "
     "@status(item), @property(key) and @key(name) (did you mean @status?)"),
    ("x.@count(1) == 1", 8, "@count is a collection operator and takes no argument: write "
     "collection.@count"),
    ("@status() == 1", 8, "@status() names nothing"),
    ("@status(device..family) == 1", 8, "@status(device..family): not a name (letters, "
     "digits, '-' and '_', parts separated by dots)"),
    ("@status(device.model.family == 'x'", 7, "@status( is never closed"),
    ("SUBQUERY(@status(a.b), app, TRUEPREDICATE) == 1", 23, "SUBQUERY's second argument "
     "is a $variable, found 'app'"),
    ("@status(a) == 1 ; @status(b) == 2", 16, "unexpected character ';'"),
    ("(" * 150 + "1 == 1" + ")" * 150, 100, "the predicate nests too deeply"),
    ("-" * 5000 + "1 == 1", 99, "the predicate nests too deeply"),
    ("NOT " * 5000 + "TRUEPREDICATE", 400, "the predicate nests too deeply"),
])
def test_invalid_predicates_say_where_and_why(text: str, offset: int, message: str) -> None:
    with pytest.raises(PredicateError) as caught:
        parse(text)
    assert (caught.value.offset, str(caught.value)) == (offset, message)


def test_status_items_are_found_with_their_offsets() -> None:
    text = ("@status(device.operating-system.family) == 'iPadOS' AND "
            "SUBQUERY(@status( management.declarations.configurations ), $d, "
            "$d.@key(active) == TRUE).@count > 0")
    parsed = parse(text)
    assert parsed.status_items == [("device.operating-system.family", 8),
                                   ("management.declarations.configurations", 74)]
    assert text[74:74 + 11] == "management."


def test_comparisons_of_a_status_item_with_literals() -> None:
    parsed = parse("@status(passcode.is-compliant) == 'true' AND "
                   "@status(softwareupdate.install-state) IN[c] {'Downloading', 3} AND "
                   "-2 < @status(test.integer-value) AND @status(a).@count == 1")
    found = [(c.left.kind, c.left.value, c.operator, c.right.kind, c.options,
              c.right.value if c.right.kind == "literal"
              else [i.value for i in c.right.items]) for c in parsed.comparisons]
    assert found == [
        ("status", "passcode.is-compliant", "==", "literal", "", "true"),
        ("status", "softwareupdate.install-state", "IN", "aggregate", "c", ["Downloading", 3]),
        ("literal", -2, "<", "status", "", []),
        ("other", None, "==", "literal", "", 1),
    ]


def test_doubtful_but_parsing_predicates_are_noted() -> None:
    parsed = parse("@status('passcode.is-compliant') == TRUE AND Sum({1, 2}) == 3")
    assert parsed.notes == [
        (8, "@status('passcode.is-compliant'): Apple writes the name without quotes; "
            "devices may not read a quoted one"),
        (45, "Sum() is no function NSExpression knows (did you mean sum?)"),
    ]
    assert parsed.status_items == [("passcode.is-compliant", 9)]


def test_a_long_run_of_parentheses_parses() -> None:
    # each parenthesis is read once (a backtracking parser would never finish this)
    text = "(" * 90 + "1" + ")" * 90 + " == 1"
    assert parse(text).status_items == []
