"""Helpers that the lint rules and ``diff`` share: value rendering, PayloadUUID lookup,
the URL check, and the payload type sets."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

from profilesmith.diff.values import json_value, render
from profilesmith.mdm import payload_types, urls
from profilesmith.plist.document import Document
from profilesmith.schema.report import short_form, shown


def _doc(*uuids: object) -> Document:
    payloads = [{"PayloadType": f"t{i}", "PayloadUUID": u} for i, u in enumerate(uuids)]
    return Document(path="x", format="xml",
                    root={"PayloadType": "Configuration", "PayloadContent": payloads})


def test_shown_takes_a_length_limit() -> None:
    assert shown("x" * 41, "/Name") is None
    assert shown("x" * 41, "/Name", limit=100) == repr("x" * 41)
    assert shown("x" * 41, "/Password", limit=100) is None
    assert short_form("x" * 41, limit=41) == repr("x" * 41)
    assert short_form(b"x") is None
    assert short_form(True) == "true"


def test_diff_renders_long_strings_dates_and_secrets() -> None:
    assert render("x" * 100, "/Topic") == repr("x" * 100)
    assert render("x" * 101, "/Topic") == "<string, 101 characters>"
    assert render(datetime(2024, 1, 2, 3, 4, 5), "/Date") == "2024-01-02T03:04:05Z"
    assert render("abc", "/Challenge") == "(secret: not shown)"
    assert json_value("abc", "/Challenge") is None
    assert json_value(None, "/Name") is None
    assert json_value("x" * 100, "/Topic") == "x" * 100


def test_payload_with_uuid_prefers_an_exact_match() -> None:
    doc = _doc("abc", "ABC", 7)
    payloads = doc.payloads()
    assert doc.payload_with_uuid("ABC") == (payloads[1], True)
    assert doc.payload_with_uuid("Abc") == (payloads[0], False)
    assert doc.payload_with_uuid(7) == (payloads[2], True)
    assert doc.payload_with_uuid("def") is None


def test_payload_with_uuid_finds_an_exact_match_after_a_loose_one() -> None:
    doc = _doc("ABC", "abc")
    found = doc.payload_with_uuid("abc")
    assert found is not None
    assert found[0] is doc.payloads()[1]
    assert found[1] is True


def test_url_problem_words() -> None:
    words = {"no_scheme": "has no scheme", "wrong_scheme": "uses {scheme}:// here"}
    assert urls.problem("https://h/x", ("https",), **words) is None
    assert urls.problem("h/x", ("https",), **words) == "has no scheme"
    assert urls.problem("FTP://h/x", ("https",), **words) == "uses ftp:// here"
    assert urls.problem("https:///x", ("https",), **words) == "has no host"
    assert urls.problem("https://h x", ("https",), **words) == "contains whitespace"


def test_mdm_names_every_certificate_payload_that_is_no_identity() -> None:
    assert set(payload_types.KEYLESS_CERTIFICATES) == payload_types.CERTIFICATE_TYPES
    assert payload_types.ALL_CERTIFICATE_TYPES - set(payload_types.KEYLESS_CERTIFICATES) <= set(
        payload_types.IDENTITY_TYPES)


def test_loading_the_rules_imports_neither_urls_nor_rights() -> None:
    code = (
        "import sys\n"
        "import profilesmith.lint.rules\n"
        "print([m for m in ('profilesmith.mdm.urls', 'profilesmith.mdm.rights')\n"
        "       if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
