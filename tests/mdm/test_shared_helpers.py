"""Shared helpers: the schema catalogue's look-ups, "did you mean" hints, request-type
look-up, the parts of a command's needs, the one UUID test and the one platform map."""

from __future__ import annotations

from typing import Any

import pytest

from profilesmith.base import platforms
from profilesmith.base.text import did_you_mean
from profilesmith.lint import config
from profilesmith.lint.rules import structure
from profilesmith.mdm import rights
from profilesmith.schema import bundle as schemas
from profilesmith.schema.validator import formats

# -- the catalogue --------------------------------------------------------------------------


def test_find_reads_only_the_one_file(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    original = schemas.load

    def counting(relative: str) -> Any:
        read.append(relative)
        return original(relative)

    monkeypatch.setattr(schemas, "load", counting)
    entry = schemas.find("com.apple.dock")
    assert entry == schemas.Entry("payload", "generated", "com.apple.dock",
                                  "payloads/com.apple.dock.schema.json")
    assert read == ["payloads/com.apple.dock.schema.json"]


def test_find_and_locate_agree_with_the_listing() -> None:
    listed = schemas.entries()
    assert schemas.paths() == [e.path for e in listed]
    by_name: dict[str, schemas.Entry] = {}
    for entry in listed:
        by_name.setdefault(entry.name, entry)
    for name in ("profile", "profile-service", "plist", "com.apple.dock", "DeviceLock"):
        assert schemas.find(name) == by_name[name]
        assert schemas.locate(name) == by_name[name].path
    for name in ("nope", "com.apple.DOCK", "devicelock", "payloads", ""):
        assert schemas.find(name) is None
        assert schemas.locate(name) is None


# -- hints and request types ------------------------------------------------------------------


def test_did_you_mean() -> None:
    assert did_you_mean("DeviceLok", rights.request_types()) == (
        " (did you mean DeviceLock or DeviceLocation or EraseDevice?)")
    assert did_you_mean("Mesage", ["Message", "PIN"]) == " (did you mean Message?)"
    assert did_you_mean("zzzzzzzz", ["Message", "PIN"]) == ""


def test_lookup_request_type() -> None:
    assert rights.lookup_request_type("DeviceLock") == "DeviceLock"
    assert rights.lookup_request_type("devicelock") == "DeviceLock"
    with pytest.raises(ValueError, match=r"^unknown request type 'DeviceLok' \(did you mean "
                                         r"DeviceLock or DeviceLocation or EraseDevice\?\)$"):
        rights.lookup_request_type("DeviceLok")
    with pytest.raises(ValueError, match=r"^unknown request type 'zzzzzzzz'$"):
        rights.lookup_request_type("zzzzzzzz")


def test_needs_say_which_part_they_are() -> None:
    found = rights.requirements("DeviceInformation", command={"Queries": ["WiFiMAC"]})
    assert [(n.what, n.part) for n in found.needs] == [
        ("DeviceInformation query WiFiMAC", "query")]
    settings = rights.requirements("Settings", platforms=["ios"],
                                   command={"Settings": [{"Item": "PersonalHotspot"}]})
    assert [(n.what, n.part) for n in settings.needs] == [
        ("Settings", None), ("Settings item PersonalHotspot", "item")]
    assert [n.part for n in rights.requirements("EraseDevice").needs] == [None]


def test_rights_are_singletons_with_a_readable_repr() -> None:
    erase = rights.by_value(8)
    assert erase is rights.by_name("AllowDeviceErase")
    assert repr(erase) == ("Right(name='AllowDeviceErase', value=8, "
                           "meaning='erase the device')")


# -- one definition each ----------------------------------------------------------------------


def test_one_uuid_test() -> None:
    assert structure.is_uuid is formats.is_uuid
    assert formats.is_uuid("0B4C5A8E-1D7E-4F0B-9A52-3C1F2E4D5A6B")
    assert not formats.is_uuid("0B4C5A8E-1D7E-4F0B-9A52")
    assert not formats.is_uuid(7)
    assert formats.uuid(7)  # the format accepts non-strings, as JSON Schema says


def test_one_platform_map() -> None:
    assert platforms.PLATFORMS == ("ios", "macos", "tvos", "watchos", "visionos")
    assert tuple(platforms.PLATFORM_NAMES) == platforms.PLATFORMS
    assert rights.PLATFORM_NAMES is platforms.PLATFORM_NAMES
    assert config.PLATFORMS is platforms.PLATFORMS
    assert platforms.PLATFORM_NAMES["visionos"] == "visionOS"
