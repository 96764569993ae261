"""DDM declarations through the whole linter: what makes a set, the real declarations of
Apple's documentation, the reports, the configuration and --platform for JSON files.

The rules' own cases are fixtures (tests/fixtures/{positive,negative}/DDM*); these tests
cover what fixtures cannot: the same files linted as a folder and one by one, a corpus,
the output formats."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

from profilesmith.base.findings import Finding
from tests.conftest import FIXTURES, lint_files, run_cli

SETS = FIXTURES / "positive"


def _hits(findings: list[Finding], prefix: str = "DDM01") -> list[tuple[str, str, int | None,
                                                                          str]]:
    return sorted((Path(f.path).name, f.rule, f.line, f.pointer) for f in findings
                  if f.rule.startswith(prefix))


def test_a_folder_is_a_set_and_files_named_one_by_one_are_part_of_one() -> None:
    folder = SETS / "DDM011" / "missing-members"
    walked = _hits(lint_files([folder]))
    assert walked == [
        ("activation.json", "DDM011", 8, "/Payload/StandardConfigurations/1"),
        # named by no configuration (caldav names another asset) / by no activation
        ("asset-password.json", "DDM013", 3, "/Identifier"),
        ("caldav.json", "DDM011", 7, "/Payload/AuthenticationCredentialsAssetReference"),
        ("caldav.json", "DDM013", 3, "/Identifier"),
        ("connection.json", "DDM013", 3, "/Identifier"),
        ("group.json", "DDM011", 10, "/Payload/Members/1"),
        ("group.json", "DDM013", 3, "/Identifier"),
    ]
    # named one by one (as pre-commit names the files of a commit): a part of a set,
    # whose missing members may be elsewhere; only facts about the files at hand
    named = lint_files(sorted(folder.glob("*.json")))
    assert _hits(named) == []
    wrong = lint_files(sorted((SETS / "DDM012" / "wrong-kinds").glob("*.json")))
    assert _hits(wrong) == [
        ("activation.json", "DDM012", 8, "/Payload/StandardConfigurations/1"),
        ("caldav.json", "DDM012", 7, "/Payload/AuthenticationCredentialsAssetReference")]


def test_one_declaration_alone_makes_no_set() -> None:
    activation = SETS / "DDM011" / "missing-members" / "activation.json"
    assert _hits(lint_files([activation]), "DDM") == []


def test_pre_commit_names_files_and_gets_no_dangling_references(tmp_path: Path) -> None:
    folder = tmp_path / "declarations"
    shutil.copytree(SETS / "DDM011" / "missing-members", folder)
    files = [str(p) for p in sorted(folder.glob("*.json"))]
    result = run_cli("lint", "--skip-unrecognised", "--format", "json", *files)
    assert result.exit_code == 0, result.stdout
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == []
    # the recipe docs/ddm.md gives for sets: the hook's entry on the folder itself
    # (args: [declarations/], pass_filenames: false)
    result = run_cli("lint", "--skip-unrecognised", "--format", "json", str(folder))
    assert result.exit_code == 0
    assert Counter(f["rule"] for f in json.loads(result.stdout)["findings"]) == {
        "DDM011": 3, "DDM013": 4}


def test_apples_declarations_lint_alone_without_errors_and_as_a_folder_as_a_set(
        messages: Path) -> None:
    docs = messages / "MagnusHJensen__unofficial-apple-docs-changelog"
    files = sorted(docs.rglob("*.json"))
    assert len(files) == 44
    for path in files:  # alone: each is a correct example, or of a newer type
        found = lint_files([path])
        assert {(f.rule, f.severity.value) for f in found} <= {
            ("DDM001", "warning"), ("SCH005", "warning")}, path
    folder = lint_files([docs])
    assert not [f for f in folder if f.severity.value == "error"]
    # as one set, Apple's examples share Identifiers (EB13EE2B-... in 35 of them) and name
    # assets the folder does not hold
    assert Counter(f.rule for f in folder) == {"DDM010": 39, "DDM011": 14, "DDM001": 12,
                                               "SCH005": 1}
    newer = sorted(Path(f.path).name.split(".")[0] for f in folder if f.rule == "DDM001")
    assert newer == ["audioaccessorysettings", "externalintelligencesettings",
                     "intelligencesettings", "keyboardsettings", "migrationassistantsettings",
                     "networkdnsproxy", "networkdnssettings", "networkvpnalwayson", "package",
                     "safaribookmarks", "sirisettings", "webcontentfilterplugin"]


def test_reports_name_the_kind_and_place_json_findings(tmp_path: Path) -> None:
    declaration = tmp_path / "legacy.json"
    declaration.write_text('{\n  "Type": "com.apple.configuration.legacy",\n'
                           '  "Identifier": "com.example.legacy",\n  "ServerToken": "1",\n'
                           '  "Payload": {"ProfileURL": "http://mdm.example.com/p"}\n}\n')
    report = tmp_path / "report.json"
    report.write_text('{"StatusItems": {"passcode": {"is-present": true}}, "Errors": []}\n')
    result = run_cli("lint", "--format", "json", str(declaration), str(report))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(Path(f["path"]).name, f["kind"], f.get("type")) for f in data["files"]] == [
        ("legacy.json", "declaration", "com.apple.configuration.legacy"),
        ("report.json", "ddm-protocol", "StatusReport")]
    assert [(f["rule"], f["line"], f["column"], f["pointer"]) for f in data["findings"]] == [
        ("DDM020", 5, 29, "/Payload/ProfileURL")]
    sarif = json.loads(run_cli("lint", "--format", "sarif", str(declaration)).stdout)
    (finding,) = sarif["runs"][0]["results"]
    assert finding["ruleId"] == "DDM020"
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("legacy.json")
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (5, 29)


def test_per_file_ignores_configure_json_files(tmp_path: Path) -> None:
    # JSON has no comments, so no inline suppressions: the configuration is the way
    (tmp_path / "repo").mkdir()
    shutil.copy(SETS / "DDM003" / "no-token.json", tmp_path / "repo" / "passcode.json")
    config = tmp_path / ".profilesmith.toml"
    config.write_text('[per-file-ignores]\n"*/repo/*.json" = ["DDM003"]\n')
    result = run_cli("lint", "--config", str(config), str(tmp_path / "repo"))
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        0, "1 file checked: no findings")
    result = run_cli("lint", str(tmp_path / "repo"))
    assert "warning DDM003 ServerToken is missing" in result.stdout


def test_platform_availability_of_declarations() -> None:
    enforcement = SETS / "DDM050" / "no-such-day.json"  # a software update enforcement
    found = lint_files([enforcement], platforms=frozenset({"tvos", "macos"}))
    assert [(f.rule, f.line, f.pointer, f.message) for f in found if f.rule == "AVL001"] == [
        ("AVL001", 1, "", "the com.apple.configuration.softwareupdate.enforcement.specific "
         "declaration: not available on tvOS")]
    assert [f for f in lint_files([enforcement], platforms=frozenset({"macos"}))
            if f.rule.startswith("AVL")] == []


def test_the_envelope_schema_is_in_the_catalogue() -> None:
    listed = run_cli("schema", "list").stdout.splitlines()
    assert "declaration      generated declaration-envelope" in listed
    shown = json.loads(run_cli("schema", "show", "declaration-envelope").stdout)
    assert shown["required"] == ["Type", "Identifier", "ServerToken", "Payload"]
    assert shown["properties"]["Payload"] == {"type": "object", "x-plist-type": "dictionary"}


def test_linting_a_profile_imports_nothing_of_ddm() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from profilesmith.cli import main\n"
        "sys.argv = ['profilesmith', 'lint', 'examples/broken-enrollment.mobileconfig']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('profilesmith.ddm')),\n"
        "      file=sys.stderr)\n"
    )
    from tests.conftest import REPO

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=False)
    assert "error MDM101" in result.stdout  # it did lint
    assert result.stderr.strip().splitlines()[-1] == "[]"
