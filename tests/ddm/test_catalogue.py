"""The declaration catalogue: the generated index agrees with the schemas it was made from,
references are found where the payload has them, status item names are told apart."""

from __future__ import annotations

import json
from typing import Any

from profilesmith.ddm import catalogue
from profilesmith.ddm.catalogue import Reference
from tests.conftest import REPO

SCHEMAS = REPO / "schemas"


def _schemas() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted((SCHEMAS / "declarations").glob("*.schema.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[data["properties"]["Type"]["const"]] = data
    return found


def _annotated(node: Any, key: str) -> list[Any]:
    if isinstance(node, dict):
        return ([node[key]] if key in node else []) + [
            v for value in node.values() for v in _annotated(value, key)]
    if isinstance(node, list):
        return [v for value in node for v in _annotated(value, key)]
    return []


def test_the_index_agrees_with_the_schemas() -> None:
    index = json.loads((SCHEMAS / "ddm" / "declarations.json").read_text(encoding="utf-8"))
    schemas = _schemas()
    assert sorted(index["types"]) == sorted(schemas) == catalogue.known_types()
    for declaration_type, schema in schemas.items():
        entry = index["types"][declaration_type]
        assert entry["category"] == schema["x-declaration-category"]
        # Apple names every type after its category: what types newer than the data rely on
        assert declaration_type.split(".")[2] == entry["category"]
        assert sorted(r["refers"] for r in entry.get("references", [])) == sorted(
            _annotated(schema, "x-references")), declaration_type
    assert index["newest-introduced"] == {"iOS": "18.0", "macOS": "15.0", "tvOS": "17.0",
                                          "visionOS": "2.0", "watchOS": "10.0"}


def test_category_of_newer_and_foreign_types() -> None:
    assert catalogue.category_of("com.apple.configuration.passcode.settings") == "configuration"
    assert catalogue.category_of("com.apple.configuration.keyboard.settings") == "configuration"
    assert catalogue.category_of("com.apple.asset.credential.future") == "asset"
    assert catalogue.category_of("com.apple.settings") is None
    assert catalogue.category_of("com.example.configuration.wifi") is None
    assert catalogue.category_of(7) is None


def test_release_names_the_commit_and_the_newest_versions() -> None:
    assert catalogue.release() == ("apple/device-management b6202ca2fbd3, up to iOS 18.0, "
                                   "macOS 15.0, tvOS 17.0, visionOS 2.0, watchOS 10.0")


def test_references_follow_nested_keys_and_arrays() -> None:
    mail = {"Type": "com.apple.configuration.account.mail", "Payload": {
        "UserIdentityAssetReference": "id",
        "IncomingServer": {"AuthenticationCredentialsAssetReference": "in"},
        "OutgoingServer": {"AuthenticationCredentialsAssetReference": 5}}}
    password = ("com.apple.asset.credential.userpassword",)
    assert catalogue.references(mail["Type"], mail) == [
        Reference("/Payload/IncomingServer/AuthenticationCredentialsAssetReference", "asset",
                  "in", password),
        Reference("/Payload/UserIdentityAssetReference", "asset", "id",
                  ("com.apple.asset.useridentity",)),
    ]
    tasks = {"Payload": {"LaunchdConfigurations": [{"FileAssetReference": "a"}, {},
                                                   {"FileAssetReference": "b"}]}}
    assert [(r.pointer, r.value) for r in catalogue.references(
        "com.apple.configuration.services.background-tasks", tasks)] == [
        ("/Payload/LaunchdConfigurations/0/FileAssetReference", "a"),
        ("/Payload/LaunchdConfigurations/2/FileAssetReference", "b")]
    activation = {"Payload": {"StandardConfigurations": ["a", 3, "b"]}}
    assert catalogue.references("com.apple.activation.simple", activation) == [
        Reference("/Payload/StandardConfigurations/0", "configuration", "a"),
        Reference("/Payload/StandardConfigurations/2", "configuration", "b")]
    assert catalogue.references("com.apple.configuration.keyboard.settings", activation) == []


def test_offered_keys() -> None:
    connection = {"Payload": {"ConnectionUUID": "FA80"}}
    assert catalogue.offered("com.apple.configuration.screensharing.connection", connection) == [
        ("com.apple.configuration.screensharing.connection#/Payload/ConnectionUUID", "FA80")]
    assert catalogue.offered("com.apple.configuration.passcode.settings", connection) == []


def test_status_item_names() -> None:
    assert catalogue.status_problem("device.operating-system.version") is None
    assert catalogue.status_problem("management.declarations.configurations") is None
    assert catalogue.status_problem("account.list.caldav.hostname") is None  # through the array
    assert catalogue.status_problem("management.declarations.activation") == (
        "names 'activation', which is no key of status item management.declarations (did you "
        "mean activations?)")
    assert catalogue.status_problem("passcode.is-compliant.value") == (
        "goes into passcode.is-compliant, whose value has no keys")
    assert catalogue.status_problem("softwareupdate") == (
        "is a group of status items (softwareupdate.beta-enrollment, "
        "softwareupdate.device-id, softwareupdate.failure-reason, ...), not one")
    assert catalogue.status_problem("management.push-token") == (
        "is no status item of the bundled data (apple/device-management b6202ca2fbd3, up to "
        "iOS 18.0, macOS 15.0, tvOS 17.0, visionOS 2.0, watchOS 10.0): newer than the data, "
        "or misspelt")
    assert catalogue.subscription_problem("device.model.family") is None
    assert catalogue.subscription_problem("management.declarations.assets") == (
        "is a key inside status item management.declarations: a subscription names the "
        "whole item")
