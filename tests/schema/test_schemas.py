"""The bundled schemas: regenerated from Apple's data they are identical, they use only
the dialect the compiler supports, and they load through importlib.resources."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

from profilesmith.schema import bundle as schemas
from profilesmith.schema.validator.compiler import ANNOTATIONS, ASSERTIONS, Compiler
from tests.conftest import REPO, SHARED, need_shared

SCHEMA_DIR = REPO / "schemas"
APPLE = SHARED / "apple-device-management"
MARKER = "x-generated"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_schemas",
                                                  REPO / "scripts" / "generate_schemas.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_schemas", module)
    spec.loader.exec_module(module)
    return module


def _all_files() -> list[Path]:
    return sorted(SCHEMA_DIR.rglob("*.schema.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def apple() -> Path:
    need_shared("apple-device-management", "mdm", "profiles")
    return APPLE


# -- the generator -----------------------------------------------------------------------------


def test_regenerating_gives_the_committed_files(apple: Path, tmp_path: Path) -> None:
    # every generated file: the schemas and the data files beside them (command-rights.json,
    # ddm/status-items.json, ddm/declarations.json, responses/index.json)
    generator = _generator()
    assert generator.main([str(apple), "--out", str(tmp_path)]) == 0
    produced = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.json")}
    committed = {str(p.relative_to(SCHEMA_DIR)): p for p in sorted(SCHEMA_DIR.rglob("*.json"))}
    differing = []
    for relative in sorted(produced):
        ours = committed.get(relative)
        if ours is None:
            differing.append(f"{relative}: generated but not committed")
        elif MARKER in _load(ours) and (
            ours.read_text(encoding="utf-8") != (tmp_path / relative).read_text("utf-8")
        ):
            differing.append(f"{relative}: differs from a fresh generation")
    for relative, path in committed.items():
        if MARKER in _load(path) and relative not in produced:
            differing.append(f"{relative}: generated file the data no longer produces")
    assert differing == []


def test_generator_keeps_curated_files_and_drops_stale_ones(apple: Path,
                                                            tmp_path: Path) -> None:
    generator = _generator()
    curated = tmp_path / "payloads" / "com.apple.dock.schema.json"
    curated.parent.mkdir(parents=True)
    curated.write_text('{"x-curated": true}\n')
    stale = tmp_path / "payloads" / "com.example.gone.schema.json"
    stale.write_text('{"x-generated": "old"}\n')
    hand = tmp_path / "payloads" / "com.example.hand.schema.json"
    hand.write_text('{"x-curated": true}\n')
    generator.main([str(apple), "--out", str(tmp_path)])
    assert curated.read_text() == '{"x-curated": true}\n'
    assert not stale.exists()
    assert hand.exists()
    assert (tmp_path / "payloads" / "com.apple.wifi.managed.schema.json").exists()


def test_generated_output_is_deterministic_text() -> None:
    for path in _all_files():
        data = _load(path)
        if MARKER in data:
            text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            assert path.read_text(encoding="utf-8") == text, path


def test_generated_files_carry_no_prose() -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            assert not {"title", "description", "content"} & set(node), where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    for path in _all_files():
        data = _load(path)
        if MARKER in data:
            walk(data, str(path))


# -- the dialect --------------------------------------------------------------------------------


def test_every_schema_file_compiles() -> None:
    compiler = Compiler(lambda rel: _load(SCHEMA_DIR / rel))
    for path in _all_files():
        compiler.file(str(path.relative_to(SCHEMA_DIR)))


def test_every_schema_file_uses_only_supported_keywords() -> None:
    # the compiler refuses unknown keywords too; this names them all at once
    allowed = ASSERTIONS | ANNOTATIONS
    found: set[str] = set()

    def walk(node: Any, in_members: bool) -> None:
        if isinstance(node, dict):
            if not in_members:
                found.update(k for k in node if k not in allowed)
            for key, value in node.items():
                if key in ("properties", "patternProperties", "$defs", "dependentRequired"):
                    for sub in value.values():
                        walk(sub, False)
                elif key in ("enum", "const", "default", "examples", "x-platforms",
                             "required"):
                    continue
                else:
                    walk(value, False)
        elif isinstance(node, list):
            for value in node:
                walk(value, False)

    for path in _all_files():
        walk(_load(path), False)
    assert found == set()


def test_every_member_schema_names_its_plist_type() -> None:
    kinds = {"string", "integer", "real", "boolean", "date", "data", "array", "dictionary",
             "any"}
    missing = []

    def walk(node: Any, where: str) -> None:
        if not isinstance(node, dict):
            return
        members = [(f"{where}/properties/{k}", v) for k, v in node.get("properties", {}).items()]
        if isinstance(node.get("items"), dict):
            members.append((f"{where}/items", node["items"]))
        if isinstance(node.get("additionalProperties"), dict):
            members.append((f"{where}/additionalProperties", node["additionalProperties"]))
        members += [(f"{where}/$defs/{k}", v) for k, v in node.get("$defs", {}).items()]
        for sub_where, sub in members:
            if sub.get("x-plist-type") not in kinds:
                missing.append(sub_where)
            walk(sub, sub_where)
        # (subschemas of allOf/anyOf/if/then... add constraints to a member already typed)

    for path in _all_files():
        walk(_load(path), path.name)
    assert missing == []


def test_schemas_are_valid_2020_12_with_ids_matching_their_paths() -> None:
    for path in _all_files():
        data = _load(path)
        jsonschema.Draft202012Validator.check_schema(data)
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        assert data["$id"] == f"https://profilesmith.dev/schemas/{relative}"
        assert (MARKER in data) != (data.get("x-curated") is True), path


def test_payload_schemas_list_the_common_keys_and_their_type() -> None:
    common = {"PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID",
              "PayloadDisplayName", "PayloadDescription", "PayloadOrganization"}
    for path in sorted((SCHEMA_DIR / "payloads").glob("*.schema.json")):
        data = _load(path)
        assert common <= set(data["properties"]), path
        assert data["properties"]["PayloadType"]["const"] == path.name[: -len(".schema.json")]


def test_merged_payload_types() -> None:
    mcx = _load(SCHEMA_DIR / "payloads" / "com.apple.MCX.schema.json")
    # six YAML files, one per area: every key, none required beyond the common ones
    assert {"EnableGuestAccount", "timeServer", "dontAllowFDEDisable",
            "com.apple.EnergySaver.desktop.ACPower"} <= set(mcx["properties"])
    assert mcx["required"] == ["PayloadType", "PayloadVersion", "PayloadIdentifier",
                               "PayloadUUID"]
    sso = _load(SCHEMA_DIR / "payloads" / "com.apple.extensiblesso.schema.json")
    assert "Realm" in sso["properties"]
    assert "Realm" not in sso["required"]
    assert {"ExtensionIdentifier", "Type"} <= set(sso["required"])


# -- loading -------------------------------------------------------------------------------------


def test_schema_files_are_found_through_the_package() -> None:
    root = schemas.schema_root()  # importlib.resources, for the catalogue
    # the wheel's copy when installed, the repository's own directory in a checkout
    shown = str(root).replace("\\", "/")
    assert shown.endswith("profilesmith/_data/schemas") or Path(shown) == REPO / "schemas"
    # the lint path reads with the package loader: the same bytes
    assert schemas.read_bytes("payloads/com.apple.dock.schema.json") == (
        SCHEMA_DIR / "payloads" / "com.apple.dock.schema.json").read_bytes()
    assert schemas.payload_schema_path("com.apple.dock") == "payloads/com.apple.dock.schema.json"
    assert schemas.payload_schema_path("COM.APPLE.DOCK") is None  # even on a case-folding disk
    assert schemas.payload_schema_path("..") is None
    assert schemas.command_schema_path("DeviceLock") == "commands/DeviceLock.schema.json"
    assert "com.apple.dock" in schemas.available("payloads")
    assert "DeviceLock" in schemas.available("commands")
    assert schemas.payload_schema_path("../profile") is None
    assert schemas.payload_schema_path("com.google.Chrome") is None


def test_only_the_schemas_a_document_needs_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import lint_bytes, plist

    loaded: list[str] = []
    real = schemas.load

    def recording(relative: str) -> Any:
        loaded.append(relative)
        return real(relative)

    monkeypatch.setattr(schemas, "load", recording)
    schemas._compiler.cache_clear()
    try:
        lint_bytes(plist("""<dict>
<key>PayloadContent</key><array><dict>
<key>PayloadIdentifier</key><string>a.b</string><key>PayloadType</key><string>com.apple.dock</string>
<key>PayloadUUID</key><string>x</string><key>PayloadVersion</key><integer>1</integer></dict></array>
<key>PayloadIdentifier</key><string>a</string><key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>y</string><key>PayloadVersion</key><integer>1</integer>
</dict>"""))
    finally:
        schemas._compiler.cache_clear()
    # plist.schema.json (data and date) is not needed: no property of the profile that
    # refers to it has a value (the bundled schemas compile a property on first use)
    assert sorted(loaded) == ["payloads/com.apple.dock.schema.json", "profile.schema.json"]
