"""Data beyond the bundled schemas: --apple-data (a newer copy of Apple's data, generated
and cached), schema import, --schemas (the user's own), --manifests (ProfileManifests)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from profilesmith.schema import sources
from tests.conftest import FIXTURES, SHARED, plist, run_cli

BASE = SHARED / "apple-device-management"
SEED = SHARED / "apple-device-management-seed-18.2"
WIDGET_MANIFESTS = FIXTURES / "manifests"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache directory of the test's own; the bundled schemas again afterwards."""
    monkeypatch.setenv("PROFILESMITH_CACHE_DIR", str(tmp_path / "cache"))
    yield tmp_path / "cache"
    sources.activate()


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Apple's 18.1 data overlaid with the 18.2 seed's changed files."""
    if not (BASE / "mdm").is_dir() or not (SEED / "mdm").is_dir():
        pytest.skip("the Apple data or the 18.2 seed is not in ../shared")
    merged = tmp_path_factory.mktemp("apple-18.2")
    shutil.copytree(BASE, merged, dirs_exist_ok=True)
    shutil.copytree(SEED, merged, dirs_exist_ok=True)
    return merged


def _profile(path: Path, payload_type: str, body: str) -> Path:
    inner, outer = (str(uuid.uuid5(uuid.NAMESPACE_URL, f"{path.name}{n}")).upper()
                    for n in (1, 2))
    path.write_bytes(plist(
        "<dict>\n<key>PayloadContent</key>\n<array>\n<dict>\n"
        f"<key>PayloadType</key><string>{payload_type}</string>\n"
        "<key>PayloadVersion</key><integer>1</integer>\n"
        f"<key>PayloadIdentifier</key><string>com.example.{path.stem}.p</string>\n"
        f"<key>PayloadUUID</key><string>{inner}</string>\n"
        f"{body}</dict>\n</array>\n"
        f"<key>PayloadIdentifier</key><string>com.example.{path.stem}</string>\n"
        "<key>PayloadType</key><string>Configuration</string>\n"
        f"<key>PayloadUUID</key><string>{outer}</string>\n"
        "<key>PayloadVersion</key><integer>1</integer>\n</dict>"))
    return path


def _lint_json(*args: str) -> tuple[int, dict[str, object]]:
    result = run_cli("lint", "--format", "json", *args)
    data: dict[str, object] = json.loads(result.stdout)
    return result.exit_code, data


def _found(report: dict[str, object]) -> list[tuple[object, ...]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["rule"], f["severity"], f["line"], f["pointer"], f["message"]) for f in findings]


def test_a_newer_release_knows_its_keys(seed: Path, tmp_path: Path, cache: Path) -> None:
    profile = _profile(tmp_path / "ai.mobileconfig", "com.apple.applicationaccess",
                       "<key>allowExternalIntelligenceIntegrations</key><false/>\n")
    code, bundled = _lint_json(str(profile), "--platform", "ios:18.0")
    assert (code, _found(bundled)) == (0, [
        ("SCH005", "warning", 12, "/PayloadContent/0/allowExternalIntelligenceIntegrations",
         "unknown key 'allowExternalIntelligenceIntegrations' (not a key of "
         "com.apple.applicationaccess payload)")])
    assert bundled["data"] == {"source": "bundled",
                               "apple": "b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f"}
    code, newer = _lint_json(str(profile), "--platform", "ios:18.0", "--apple-data", str(seed))
    assert (code, _found(newer)) == (0, [
        ("AVL003", "warning", 12, "/PayloadContent/0/allowExternalIntelligenceIntegrations",
         "allowExternalIntelligenceIntegrations: introduced in iOS 18.2 (the oldest version "
         "targeted is 18.0; older devices ignore it)")])
    release = sources.release(seed)
    assert newer["data"] == {"source": str(seed.resolve()),
                             "apple": "b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f",
                             "release": release}
    assert (cache / "apple-data" / release / "payloads" /
            "com.apple.applicationaccess.schema.json").is_file()
    text = run_cli("lint", str(profile), "--apple-data", str(seed)).stdout
    assert text.endswith(f"1 file checked: no findings; Apple's data from {seed.resolve()} "
                         f"(release {release}, commit b6202ca2fbd3)\n")


def test_the_cache_is_filled_once(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run_cli("schema", "import", str(seed))
    release = sources.release(seed)
    assert first.exit_code == 0
    assert first.stdout.startswith("generated: ")
    assert first.stdout.endswith(f"(release {release}, Apple commit "
                                 "b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f)\n")

    def never(*args: object) -> None:
        raise AssertionError("generated again")

    monkeypatch.setattr(sources, "_generate", never)
    again = run_cli("schema", "import", str(seed))
    assert again.stdout.startswith("already cached: ")
    sources.activate(str(seed))  # and lint uses it without generating
    # another release (the base data) is another directory
    assert sources.release(BASE) != release


def test_a_newer_command_item(seed: Path) -> None:
    item = '[{"Item": "DefaultApplications", "WebBrowser": "com.example.browser"}]'
    bundled = run_cli("command", "Settings", "--set", f"Settings={item}", "--uuid", "1")
    assert bundled.exit_code == 1
    assert "error SCH003 Settings/0/Item" in bundled.stderr
    newer = run_cli("command", "Settings", "--set", f"Settings={item}", "--uuid", "1",
                    "--apple-data", str(seed))
    assert (newer.exit_code, newer.stderr) == (0, "")


def test_not_apple_data(tmp_path: Path) -> None:
    result = run_cli("lint", str(tmp_path), "--apple-data", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path.resolve()}: not a copy of Apple's device-management data" in \
        result.stderr


def test_lint_with_the_bundled_data_never_imports_the_generator(tmp_path: Path) -> None:
    profile = _profile(tmp_path / "p.mobileconfig", "com.apple.dock", "")
    code = ("import sys; from profilesmith.cli import main\n"
            f"sys.argv = ['profilesmith', 'lint', {str(profile)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'yaml' not in sys.modules and 'profilesmith.schema.generate' not in "
            "sys.modules, 'imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


# -- the user's own schemas ------------------------------------------------------------------


def _schemas(directory: Path, **files: object) -> Path:
    directory.mkdir()
    for name, schema in files.items():
        (directory / f"{name}.schema.json").write_text(json.dumps(schema))
    return directory


def test_a_user_schema_for_a_new_type_and_one_extending_ours(tmp_path: Path) -> None:
    directory = _schemas(
        tmp_path / "mine",
        **{"com.example.agent": {
            "type": "object", "x-plist-type": "dictionary",
            "properties": {"Interval": {"type": "integer", "x-plist-type": "integer",
                                        "minimum": 60}},
            "required": ["Interval"], "x-comment-ours": "unknown keywords are annotations"},
           "com.apple.dock": {"properties": {"futureKey": {"type": "boolean",
                                                           "x-plist-type": "boolean"}}}})
    agent = _profile(tmp_path / "a.mobileconfig", "com.example.agent",
                     "<key>Interval</key><integer>5</integer>\n")
    dock = _profile(tmp_path / "d.mobileconfig", "com.apple.dock",
                    "<key>futureKey</key><true/>\n<key>orientation</key><integer>1</integer>\n")
    code, report = _lint_json(str(agent), str(dock), "--schemas", str(directory))
    assert code == 1
    assert [(f[0], f[2], f[3]) for f in _found(report)] == [
        ("SCH003", 12, "/PayloadContent/0/Interval"),
        ("SCH001", 13, "/PayloadContent/0/orientation"),  # ours still apply
    ]
    assert report["data"] == {"source": "bundled",
                              "apple": "b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f",
                              "schemas": [str(directory.resolve())]}
    # without them: no schema for the new type, and futureKey is unknown to ours
    _, plain = _lint_json(str(agent), str(dock))
    assert [(f[0], f[3]) for f in _found(plain)] == [
        ("SCH005", "/PayloadContent/0/futureKey"), ("SCH001", "/PayloadContent/0/orientation")]


def test_config_schemas_are_relative_to_the_config(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _schemas(tmp_path / "mine", **{"com.example.agent": {
        "type": "object", "properties": {"Interval": {"type": "integer"}}}})
    (tmp_path / ".profilesmith.toml").write_text('schemas = ["mine"]\n')
    agent = _profile(tmp_path / "a.mobileconfig", "com.example.agent",
                     "<key>Interval</key><string>5</string>\n")
    monkeypatch.chdir(tmp_path)
    code, report = _lint_json("a.mobileconfig")
    assert [(f[0], f[3]) for f in _found(report)] == [("SCH001", "/PayloadContent/0/Interval")]
    assert code == 1
    assert agent.exists()


@pytest.mark.parametrize(("content", "message"), [
    ('{"type": "object", "contains": {}}', "cannot be used as a schema"),
    ("[1]", "a schema file must hold a JSON object"),
    ("{", "not valid JSON"),
])
def test_a_broken_user_schema_is_a_usage_error(tmp_path: Path, content: str,
                                               message: str) -> None:
    directory = tmp_path / "mine"
    directory.mkdir()
    (directory / "com.example.agent.schema.json").write_text(content)
    result = run_cli("lint", str(tmp_path), "--schemas", str(directory))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "com.example.agent.schema.json" in result.stderr


# -- ProfileManifests ------------------------------------------------------------------------


def test_manifests_check_third_party_domains_at_warning_at_most(tmp_path: Path) -> None:
    widget = _profile(tmp_path / "w.mobileconfig", "com.example.widget",
                      "<key>Mode</key><string>audit</string>\n"
                      "<key>CheckInterval</key><integer>5</integer>\n"
                      "<key>Rules</key><array/>\n"
                      "<key>Token</key><integer>1</integer>\n"
                      "<key>NotInTheManifest</key><true/>\n")
    code, report = _lint_json(str(widget), "--manifests", str(WIDGET_MANIFESTS))
    assert code == 0  # nothing a manifest says is an error
    assert [(f[0], f[1], f[2], f[3]) for f in _found(report)] == [
        ("SCH003", "warning", 12, "/PayloadContent/0/Mode"),
        ("SCH003", "warning", 13, "/PayloadContent/0/CheckInterval"),
        ("SCH003", "warning", 14, "/PayloadContent/0/Rules"),
        ("SCH001", "warning", 15, "/PayloadContent/0/Token"),
    ]  # and no unknown key: manifests are seldom complete
    _, plain = _lint_json(str(widget))
    assert _found(plain) == []


def test_manifests_never_shadow_our_schemas(tmp_path: Path) -> None:
    root = tmp_path / "manifests"
    root.mkdir()
    (root / "dock.plist").write_bytes(plist(
        "<dict><key>pfm_domain</key><string>com.apple.dock</string>"
        "<key>pfm_subkeys</key><array><dict><key>pfm_name</key><string>orientation</string>"
        "<key>pfm_type</key><string>integer</string></dict></array></dict>"))
    (root / "broken.plist").write_text("not a plist")
    dock = _profile(tmp_path / "d.mobileconfig", "com.apple.dock",
                    "<key>orientation</key><string>left</string>\n")
    code, report = _lint_json(str(dock), "--manifests", str(root))
    assert (code, _found(report)) == (0, [])
