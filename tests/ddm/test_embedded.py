"""The JSON documents inside DeclarativeManagement messages: read, told apart, validated,
with the place inside the decoded JSON in each message."""

from __future__ import annotations

import pytest

from profilesmith.ddm.embedded import Problem, endpoint_problem, inspect


def _problems(data: bytes, expected: str | None) -> list[Problem]:
    return list(inspect(data, expected))


def test_synchronization_tokens() -> None:
    good = b'{"SyncTokens": {"DeclarationsToken": "8f6f", "Timestamp": "2024-05-01T12:00:00Z"}}'
    assert _problems(good, "TokensResponse") == []
    assert _problems(b'{\n  "SyncTokens": {\n    "Timestamp": 5\n  }\n}', "TokensResponse") == [
        Problem("SCH002", "the JSON in Data: SyncTokens/DeclarationsToken: required key is "
                "missing (at /SyncTokens/DeclarationsToken, line 2 column 17 of the decoded "
                "JSON)"),
        Problem("SCH001", "the JSON in Data: SyncTokens/Timestamp: expected <string>, found "
                "<integer> (at /SyncTokens/Timestamp, line 3 column 18 of the decoded JSON)"),
    ]


def test_what_is_no_json_document_of_the_kind() -> None:
    assert _problems(b"\xff\xfe", "TokensResponse") == [
        Problem(None, "Data should hold a TokensResponse (synchronization tokens): JSON that "
                "is not UTF-8 (invalid byte at offset 0)")]
    assert _problems(b'{"SyncTokens": {', "TokensResponse") == [
        Problem(None, "Data should hold a TokensResponse (synchronization tokens): malformed "
                "JSON: Expecting property name enclosed in double quotes (line 1 column 17 of "
                "the decoded JSON)")]
    assert _problems(b'"tokens"', "StatusReport") == [
        Problem(None, "Data should hold a status report, not a JSON string")]
    assert _problems(b'{"SyncTokens": {"DeclarationsToken": "1"}}', "StatusReport") == [
        Problem(None, "Data should hold a status report, but holds a ddm-protocol "
                "(TokensResponse)")]
    assert _problems(b'{"MessageType": "TokenUpdate"}', "StatusReport") == [
        Problem(None, "Data should hold a status report, but holds a checkin (TokenUpdate)")]


def test_duplicate_keys_and_any_object() -> None:
    assert _problems(b'{"a": 1, "a": 2}', None) == [
        Problem("STR001", "the JSON in Data: duplicate key 'a', JSON readers disagree on which "
                "value wins (at /a, line 1 column 10 of the decoded JSON)")]
    assert _problems(b'{"anything": [1, 2]}', None) == []
    assert _problems(b"[]", None) == [Problem(None, "Data should hold a JSON object, not a "
                                                    "JSON array")]


def test_a_status_report_with_items_newer_than_the_data_is_valid() -> None:
    report = (b'{"StatusItems": {"management": {"push-token": {"token": "x"}},'
              b' "device": {"model": {"family": "iPhone"}}}, "Errors": []}')
    assert _problems(report, "StatusReport") == []


@pytest.mark.parametrize(("endpoint", "problem"), [
    ("tokens", None), ("declaration-items", None), ("status", None),
    ("declaration/activation/com.example.a", None),
    ("declaration/management/org", None),
    ("declaration/asset/com.example/a/b", None),
    ("declaration/configurations/x", "names the category 'configurations': a declaration "
     "endpoint is declaration/<activation|asset|configuration|management>/<identifier>"),
    ("declaration/asset/", "names no identifier"),
    ("declarations", "is none of Apple's endpoints (tokens, declaration-items, status, "
     "declaration/<activation|asset|configuration|management>/<identifier>)"),
    ("Tokens", "is none of Apple's endpoints (tokens, declaration-items, status, "
     "declaration/<activation|asset|configuration|management>/<identifier>)"),
])
def test_endpoints(endpoint: str, problem: str | None) -> None:
    assert endpoint_problem(endpoint) == problem
