"""The formats and URLs Apple prescribes in prose, and the table of them."""

from __future__ import annotations

import json

import pytest

from profilesmith.ddm import values
from tests.conftest import REPO


def test_every_url_key_is_a_string_of_its_declaration_schema() -> None:
    schemas = dict(values.URLS)
    for path in sorted((REPO / "schemas" / "declarations").glob("com.apple.asset.*")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "Reference" in data["properties"]["Payload"].get("properties", {}):
            schemas[data["properties"]["Type"]["const"]] = (values.ASSET_DATA_URL,)
    assert len(schemas) == len(values.URLS) + 6  # the six assets with a Reference
    for declaration_type, keys in schemas.items():
        schema = json.loads((REPO / "schemas" / "declarations" /
                             f"{declaration_type}.schema.json").read_text(encoding="utf-8"))
        for key in keys:
            node = schema
            for token in key.pointer.split("/")[1:]:
                node = node["properties"][token]
            assert node["type"] == "string", (declaration_type, key)


@pytest.mark.parametrize(("text", "problem"), [
    ("17.4", None), ("14.4.1", None), ("26", None), ("16.5.1 (a)", None),
    ("macOS 14.4", "is not an OS version number such as 17.4 or 14.4.1"),
    ("17.4.1.2", "is not an OS version number such as 17.4 or 14.4.1"),
    ("latest", "is not an OS version number such as 17.4 or 14.4.1"),
])
def test_os_versions(text: str, problem: str | None) -> None:
    assert values.os_version_problem(text) == problem


@pytest.mark.parametrize(("text", "ok"), [
    ("21E219", True), ("20A242a", True), ("21G5027d", True), ("22F770820d", True),
    ("23A", False), ("21e219", False), ("21E219 ", False), ("iOS21E219", False),
])
def test_build_versions(text: str, ok: bool) -> None:
    assert (values.build_problem(text) is None) == ok


@pytest.mark.parametrize(("text", "problem"), [
    ("2025-09-21T01:00:00", None),
    ("2024-02-29T23:59:59", None),
    ("2025-09-21T01:00:00Z", "ends in 'Z': the device reads local time, yyyy-mm-ddThh:mm:ss "
     "without fractions or a time zone"),
    ("2025-09-21T01:00:00+02:00", "ends in '+02:00': the device reads local time, "
     "yyyy-mm-ddThh:mm:ss without fractions or a time zone"),
    ("2025-09-21T01:00:00.5", "ends in '.5': the device reads local time, "
     "yyyy-mm-ddThh:mm:ss without fractions or a time zone"),
    ("2025-09-21 01:00:00", "is not a local date and time in the form yyyy-mm-ddThh:mm:ss"),
    ("2025-09-21T01:00", "is not a local date and time in the form yyyy-mm-ddThh:mm:ss"),
    ("2025-09-21T01:00:00 local", "is not a local date and time in the form "
     "yyyy-mm-ddThh:mm:ss"),
    ("2025-13-01T00:00:00", "is no date and time (month must be in 1..12)"),
    ("2025-09-21T24:00:00", "is no date and time (hour must be in 0..23)"),
])
def test_local_date_times(text: str, problem: str | None) -> None:
    assert values.local_time_problem(text) == problem
