"""``profilesmith build`` / ``new`` / ``templates`` end to end, through the CLI."""

from __future__ import annotations

import os
import plistlib
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profilesmith.plist.reader import read_bytes
from profilesmith.render.uuids import NAMESPACE, uuid5_text
from tests.conftest import fresh_run, lint_bytes, run_cli
from tests.pki import make_cert, name, pem_of, rsa_key

TOPIC = "com.apple.mgmt.External.11111111-2222-3333-4444-555555555555"


def errors(data: bytes) -> list[str]:
    return [f"{f.rule} {f.pointer} {f.message}" for f in lint_bytes(data)
            if f.severity.value == "error"]


def new_values(tmp_path: Path, template: str = "enrollment") -> Path:
    result = run_cli("new", template)
    assert result.exit_code == 0, result.output
    path = tmp_path / "v.yaml"
    path.write_text(result.stdout)
    return path


def build(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    result = run_cli("build", *args, env=env)
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture(scope="module")
def ca_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from cryptography.hazmat.primitives.serialization import Encoding

    directory = tmp_path_factory.mktemp("ca")
    key = rsa_key()
    root = make_cert(name("Build Test Root"), key, ca=True)
    leaf_key = rsa_key()
    leaf = make_cert(name("Build Test TLS"), leaf_key, issuer=root, issuer_key=key)
    files = {
        "pem": directory / "root.pem",
        "der": directory / "root.der",
        "leaf_der": directory / "tls.cer",
        "key": directory / "root.key",
    }
    files["pem"].write_bytes(b"Bag Attributes\n  friendlyName: x\n" + pem_of(root))
    files["der"].write_bytes(root.public_bytes(Encoding.DER))
    files["leaf_der"].write_bytes(leaf.public_bytes(Encoding.DER))
    from tests.pki import key_pem

    files["key"].write_bytes(key_pem(key) + pem_of(root))
    return files


def test_new_edit_three_values_build(tmp_path: Path) -> None:
    """The README's first steps: new, edit three values, build -> lints clean, holds them."""
    values = new_values(tmp_path)
    text = values.read_text()
    text = text.replace("organization: Example Inc.", "organization: Acme Corp")
    text = text.replace("server_url: https://mdm.example.com/mdm",
                        "server_url: https://mdm.acme.test:8443/mdm")
    text = text.replace(
        "topic: com.apple.mgmt.External.4c2f6b8e-1d3a-4f5e-9b7c-0a1b2c3d4e5f",
        f"topic: {TOPIC}",
    )
    values.write_text(text)
    out = tmp_path / "e.mobileconfig"
    code, _, stderr = build("enrollment", "--values", str(values), "-o", str(out))
    assert code == 0, stderr
    assert stderr.splitlines()[-1] == f"profilesmith: wrote {out}"
    data = out.read_bytes()
    assert errors(data) == []
    root = plistlib.loads(data)
    assert root["PayloadOrganization"] == "Acme Corp"
    mdm = root["PayloadContent"][1]
    assert mdm["PayloadType"] == "com.apple.mdm"
    assert mdm["ServerURL"] == "https://mdm.acme.test:8443/mdm"
    assert mdm["Topic"] == TOPIC
    # the defaults MDM servers ship
    assert mdm["AccessRights"] == 8191
    assert mdm["CheckOutWhenRemoved"] is True
    assert mdm["SignMessage"] is True
    assert mdm["ServerCapabilities"] == ["com.apple.mdm.per-user-connections",
                                         "com.apple.mdm.bootstraptoken"]
    scep = root["PayloadContent"][0]
    assert scep["PayloadType"] == "com.apple.security.scep"
    assert scep["PayloadContent"]["Keysize"] == 2048
    assert scep["PayloadContent"]["Key Usage"] == 5
    assert scep["PayloadContent"]["Key Type"] == "RSA"
    assert scep["PayloadContent"]["Subject"] == [[["O", "Example Inc."]],
                                                [["CN", "%SerialNumber%"]]]
    assert mdm["IdentityCertificateUUID"] == scep["PayloadUUID"]
    assert "Challenge" not in scep["PayloadContent"]  # commented out in the sample


def test_every_bundled_sample_builds_unchanged(tmp_path: Path, ca_files: dict[str, Path]) -> None:
    listing = run_cli("templates")
    assert listing.exit_code == 0
    names = [line.split(":", 1)[0] for line in listing.stdout.splitlines()
             if line and not line.startswith((" ", "Start"))]
    assert names == ["enrollment", "profile", "root-cert", "scep"]
    (tmp_path / "root-ca.pem").write_bytes(ca_files["pem"].read_bytes())
    for template in names:
        values = tmp_path / f"{template}.yaml"
        values.write_text(run_cli("new", template).stdout)
        code, data, stderr = build(template, "--values", str(values))
        assert code == 0, (template, stderr)
        assert errors(data) == [], template
        assert data == read_canonical(data)


def read_canonical(data: bytes) -> bytes:
    from profilesmith.plist.writer import dumps_xml

    return dumps_xml(plistlib.loads(data))


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_payload_uuids_are_uuid5_of_the_namespace(name: str) -> None:
    assert uuid5_text(name) == str(uuid.uuid5(NAMESPACE, name)).upper()


def test_two_builds_are_byte_identical_and_uuids_documented(tmp_path: Path) -> None:
    values = new_values(tmp_path)
    first, second = tmp_path / "a" / "e.mobileconfig", tmp_path / "b" / "e.mobileconfig"
    first.parent.mkdir()
    second.parent.mkdir()
    assert build("enrollment", "--values", str(values), "-o", str(first))[0] == 0
    assert build("enrollment", "--values", str(values), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    root = plistlib.loads(first.read_bytes())
    expected = str(uuid.uuid5(NAMESPACE, "e.mobileconfig\ncom.example.mdm")).upper()
    assert root["PayloadUUID"] == expected
    scep = str(uuid.uuid5(NAMESPACE, "e.mobileconfig\ncom.example.mdm.scep")).upper()
    assert root["PayloadContent"][0]["PayloadUUID"] == scep
    # another output name: other UUIDs; random UUIDs: differ between builds, still wired
    code, other, _ = build("enrollment", "--values", str(values), "-o", "-")
    assert code == 0
    assert plistlib.loads(other)["PayloadUUID"] != expected
    _, random1, _ = build("enrollment", "--values", str(values), "--random-uuids")
    _, random2, _ = build("enrollment", "--values", str(values), "--random-uuids")
    assert random1 != random2
    for data in (random1, random2):
        content = plistlib.loads(data)["PayloadContent"]
        assert content[1]["IdentityCertificateUUID"] == content[0]["PayloadUUID"]
        assert errors(data) == []


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    values = new_values(tmp_path)
    out = tmp_path / "e.mobileconfig"
    out.write_bytes(b"keep me")
    code, _, stderr = build("enrollment", "--values", str(values), "-o", str(out))
    assert code == 2
    assert "exists (use --force" in stderr
    assert out.read_bytes() == b"keep me"
    code, _, _ = build("enrollment", "--values", str(values), "-o", str(out), "--force")
    assert code == 0
    assert out.read_bytes().startswith(b"<?xml")


def test_set_and_coercion_never_guess(tmp_path: Path) -> None:
    values = new_values(tmp_path)
    code, data, stderr = build(
        "enrollment", "--values", str(values),
        "--set", "organization=NO", "--set", "display_name=0123",
        "--set", "scep.keysize=4096", "--set", "access_rights=1028",
        "--set", "check_out_when_removed=false", "--set", "scep.name=on",
    )
    assert code == 0, stderr
    root = plistlib.loads(data)
    assert root["PayloadOrganization"] == "NO"
    assert root["PayloadDisplayName"] == "0123"
    scep, mdm = root["PayloadContent"]
    assert scep["PayloadContent"]["Keysize"] == 4096
    assert scep["PayloadContent"]["Name"] == "on"
    assert mdm["AccessRights"] == 1028
    assert mdm["CheckOutWhenRemoved"] is False


def test_yaml_scalars_keep_their_text_where_the_schema_says_string(tmp_path: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text(
        "identifier: com.example.mdm\n"
        "organization: NO\n"
        "display_name: 0123\n"
        "description: 2024-01-01\n"
        f"server_url: https://mdm.acme.test/mdm\ntopic: {TOPIC}\n"
        "access_rights: 0x404\n"
        "scep:\n  url: https://scep.acme.test/scep\n  name: on\n  keysize: 1024\n"
    )
    code, data, stderr = build("enrollment", "--values", str(values))
    assert code == 0, stderr
    root = plistlib.loads(data)
    assert (root["PayloadOrganization"], root["PayloadDisplayName"]) == ("NO", "0123")
    assert root["PayloadDescription"] == "2024-01-01"
    assert root["PayloadContent"][0]["PayloadContent"]["Name"] == "on"
    assert root["PayloadContent"][1]["AccessRights"] == 0x404


def test_values_errors_name_file_key_and_line(tmp_path: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text(
        "identifier: com.example.mdm\n"
        "organization: Acme\n"
        "server_url: http://mdm.acme.test/mdm\n"
        f"topic: {TOPIC}\n"
        "check_out_when_removed: yes\n"
        "scep:\n"
        "  url: https://scep.acme.test\n"
        "  keysize: 3000\n"
        "  chalenge: typo\n"
    )
    code, _, stderr = build("enrollment", "--values", str(values), "-o",
                            str(tmp_path / "e.mobileconfig"))
    assert code == 2
    lines = stderr.splitlines()
    assert f"profilesmith: {values}:5: check_out_when_removed: must be true or false, " \
           "not 'yes'" in lines
    assert not (tmp_path / "e.mobileconfig").exists()
    code, _, stderr = build("enrollment", "--values", str(values),
                            "--set", "check_out_when_removed=true")
    assert code == 2
    assert stderr.splitlines() == [
        f"profilesmith: {values}:9: scep.chalenge: unknown value (not in the template's "
        "values schema)",
        f"profilesmith: {values}:8: scep.keysize: must be one of 1024, 2048, 4096 (got 3000)",
        f"profilesmith: {values}:3: server_url: \"http://mdm.acme.test/mdm\" does not match "
        "the pattern ^https://[^\\s/]+",
    ]


def test_missing_required_values_and_set_names(tmp_path: Path) -> None:
    code, _, stderr = build("enrollment", "--set", "identifier=com.example.x",
                            "--set", "scep.keysize=big")
    assert code == 2
    assert stderr.splitlines() == [
        "profilesmith: --set scep.keysize: scep.keysize: must be an integer, not 'big'",
    ]
    code, _, stderr = build("enrollment", "--set", "identifier=com.example.x")
    assert code == 2
    assert "profilesmith: values: organization: missing (required)" in stderr.splitlines()
    assert "profilesmith: values: scep: missing (required)" in stderr.splitlines()


@pytest.mark.parametrize(("name", "text", "line"), [
    ("v.json", '{\n  "identifier": "com.example.mdm",\n  "organization": "A",\n'
               '  "server_url": "https://m.acme.test",\n'
               f'  "topic": "{TOPIC}",\n  "scep": {{\n    "url": "https://s.acme.test",\n'
               '    "keysize": "huge"\n  }\n}\n', 8),
    ("v.toml", 'identifier = "com.example.mdm"\norganization = "A"\n'
               'server_url = "https://m.acme.test"\n'
               f'topic = "{TOPIC}"\n\n[scep]\nurl = "https://s.acme.test"\n'
               'keysize = "huge"\n', 8),
])
def test_json_and_toml_values_errors_have_lines(tmp_path: Path, name: str, text: str,
                                                line: int) -> None:
    values = tmp_path / name
    values.write_text(text)
    code, _, stderr = build("enrollment", "--values", str(values))
    assert code == 2
    assert stderr.splitlines() == [
        f"profilesmith: {values}:{line}: scep.keysize: must be an integer, not 'huge'"
    ]
    fixed = text.replace('"huge"', "2048")
    values.write_text(fixed)
    code, data, stderr = build("enrollment", "--values", str(values))
    assert code == 0, stderr
    assert plistlib.loads(data)["PayloadContent"][0]["PayloadContent"]["Keysize"] == 2048


def test_values_files_merge_in_order_then_set(tmp_path: Path) -> None:
    base = new_values(tmp_path)
    site = tmp_path / "site.json"
    site.write_text('{"organization": "Site", "scep": {"name": "CA-1"}}')
    code, data, stderr = build("enrollment", "--values", str(base), "--values", str(site),
                               "--set", "scep.name=CA-2")
    assert code == 0, stderr
    root = plistlib.loads(data)
    assert root["PayloadOrganization"] == "Site"
    scep = root["PayloadContent"][0]["PayloadContent"]
    assert scep["Name"] == "CA-2"
    assert scep["URL"] == "https://mdm.example.com/scep"  # deep merge kept the base's URL


def test_set_env_keeps_the_secret_out_of_messages(tmp_path: Path) -> None:
    values = new_values(tmp_path)
    env = {"SCEP_CHALLENGE": "s3cr3t-\x01-value"}
    code, _, stderr = build("enrollment", "--values", str(values),
                            "--set-env", "scep.challenge=SCEP_CHALLENGE", env=env)
    assert code == 2
    assert stderr.splitlines() == [
        "profilesmith: --set-env scep.challenge ($SCEP_CHALLENGE): scep.challenge: contains "
        "U+0001, which XML cannot carry"
    ]
    assert "s3cr3t" not in stderr
    code, data, stderr = build("enrollment", "--values", str(values),
                               "--set-env", "scep.challenge=SCEP_CHALLENGE",
                               env={"SCEP_CHALLENGE": "s3cr3t & <ok>"})
    assert code == 0, stderr
    assert plistlib.loads(data)["PayloadContent"][0]["PayloadContent"]["Challenge"] == \
        "s3cr3t & <ok>"
    assert "s3cr3t" not in stderr
    code, _, stderr = build("enrollment", "--values", str(values),
                            "--set-env", "scep.challenge=NOT_THERE", env={})
    assert code == 2
    assert stderr == ("profilesmith: --set-env scep.challenge: environment variable "
                      "NOT_THERE is not set\n")


def test_root_ca_paths_are_relative_to_the_values_file(tmp_path: Path,
                                                        ca_files: dict[str, Path]) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "ca.pem").write_bytes(ca_files["pem"].read_bytes())
    values = conf / "v.yaml"
    values.write_text(new_values(tmp_path).read_text() + "root_ca: ca.pem\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(elsewhere)
        code, data, stderr = build("enrollment", "--values", "../conf/v.yaml")
        assert code == 0, stderr
        # on the command line, relative to the working directory
        code, der_data, stderr = build("enrollment", "--values", "../conf/v.yaml",
                                       "--set", f"root_ca={os.path.relpath(ca_files['der'])}")
        assert code == 0, stderr
    finally:
        os.chdir(cwd)
    root_payload = plistlib.loads(data)["PayloadContent"][0]
    assert root_payload["PayloadType"] == "com.apple.security.pem"
    assert root_payload["PayloadCertificateFileName"] == "ca.pem"
    # re-encoded from the certificate: the "Bag Attributes" text is gone
    assert root_payload["PayloadContent"] == ca_files["pem"].read_bytes().split(b"x\n", 1)[1]
    assert root_payload["PayloadDisplayName"] == "Build Test Root"
    der_payload = plistlib.loads(der_data)["PayloadContent"][0]
    assert der_payload["PayloadType"] == "com.apple.security.root"
    assert der_payload["PayloadContent"] == ca_files["der"].read_bytes()
    assert errors(data) == errors(der_data) == []


def test_root_cert_template_picks_the_payload_type(tmp_path: Path,
                                                   ca_files: dict[str, Path]) -> None:
    base = ("--set", "identifier=com.example.ca")
    kinds = {}
    for label in ("pem", "der", "leaf_der"):
        code, data, stderr = build("root-cert", *base, "--set", f"certificate={ca_files[label]}")
        assert code == 0, stderr
        payload = plistlib.loads(data)["PayloadContent"][0]
        kinds[label] = payload["PayloadType"]
    assert kinds == {"pem": "com.apple.security.pem", "der": "com.apple.security.root",
                     "leaf_der": "com.apple.security.pkcs1"}
    code, _, stderr = build("root-cert", *base, "--set", f"certificate={ca_files['key']}")
    assert code == 2
    assert stderr == (f"profilesmith: --set certificate: certificate: {ca_files['key']} holds "
                      "a private key; give the certificate only\n")


def test_pinning_and_acme(tmp_path: Path, ca_files: dict[str, Path]) -> None:
    values = tmp_path / "v.yaml"
    values.write_text(
        "identifier: com.example.mdm\norganization: Acme\n"
        f"server_url: https://mdm.acme.test/mdm\ntopic: {TOPIC}\n"
        "checkin_url: https://mdm.acme.test/checkin\n"
        "identity: acme\n"
        "acme:\n  directory_url: https://acme.acme.test/directory\n"
        "  client_identifier: abc\n  subject: [[CN, device]]\n"
        f"pinning_certificates:\n  - {ca_files['pem']}\n  - {ca_files['leaf_der']}\n"
    )
    code, data, stderr = build("enrollment", "--values", str(values))
    assert code == 0, stderr
    assert errors(data) == []
    content = plistlib.loads(data)["PayloadContent"]
    types = [p["PayloadType"] for p in content]
    assert types == ["com.apple.security.pem", "com.apple.security.pkcs1",
                     "com.apple.security.acme", "com.apple.mdm"]
    acme, mdm = content[2], content[3]
    assert acme["Subject"] == [[["CN", "device"]]]
    assert (acme["KeyType"], acme["KeySize"], acme["HardwareBound"], acme["Attest"]) == (
        "ECSECPrimeRandom", 384, True, True)
    assert mdm["IdentityCertificateUUID"] == acme["PayloadUUID"]
    pins = [content[0]["PayloadUUID"], content[1]["PayloadUUID"]]
    assert mdm["ServerURLPinningCertificateUUIDs"] == pins
    assert mdm["CheckInURLPinningCertificateUUIDs"] == pins
    assert mdm["CheckInURL"] == "https://mdm.acme.test/checkin"


def user_template(tmp_path: Path, body: str, schema: str | None = None) -> Path:
    path = tmp_path / "mine.mobileconfig.j2"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n'
        f"{body}\n</dict>\n</plist>\n"
    )
    if schema is not None:
        (tmp_path / "mine.values.schema.json").write_text(schema)
    return path


MDM_BODY = """<key>PayloadType</key><string>Configuration</string>
<key>PayloadIdentifier</key>{{ identifier | plist }}
<key>PayloadUUID</key>{{ payload_uuid(identifier) | plist }}
<key>PayloadVersion</key><integer>1</integer>
<key>PayloadContent</key>
<array><dict>
<key>PayloadType</key><string>com.apple.mdm</string>
<key>PayloadIdentifier</key><string>x.mdm</string>
<key>PayloadUUID</key>{{ payload_uuid("x.mdm") | plist }}
<key>PayloadVersion</key><integer>1</integer>
<key>ServerURL</key>{{ url | plist }}
<key>Topic</key><string>com.apple.mgmt.External.x</string>
<key>IdentityCertificateUUID</key>{{ payload_uuid("x.mdm") | plist }}
</dict></array>"""


def test_lint_errors_stop_the_build_with_template_lines(tmp_path: Path) -> None:
    template = user_template(tmp_path, MDM_BODY)
    out = tmp_path / "out.mobileconfig"
    code, _, stderr = build(str(template), "--set", "identifier=com.example.t",
                            "--set", "url=http://mdm.acme.test", "-o", str(out))
    assert code == 1
    assert not out.exists()
    lines = stderr.splitlines()
    assert any(line.startswith(f"profilesmith: {template}:14: error MDM103 ")
               and line.endswith("(at /PayloadContent/0/ServerURL)") for line in lines), lines


def test_user_template_missing_value_and_sandbox(tmp_path: Path) -> None:
    template = user_template(tmp_path, "<key>A</key>\n{{ nested.deeper.value | plist }}")
    code, _, stderr = build(str(template), "--set", "nested.other=1")
    assert code == 2
    assert stderr == f"profilesmith: {template}:5: value 'nested.deeper' is not set\n"
    sandboxed = user_template(tmp_path, "<key>A</key>\n{{ ''.__class__.__mro__ | plist }}")
    code, _, stderr = build(str(sandboxed))
    assert code == 2
    assert stderr.startswith(f"profilesmith: {sandboxed}:5:")


def test_user_template_schema_is_checked_and_used(tmp_path: Path) -> None:
    bad = user_template(tmp_path, "", schema='{"type": "object", "properties": 3}')
    code, _, stderr = build(str(bad))
    assert code == 2
    assert "not a valid JSON Schema 2020-12 document" in stderr
    schema = ('{"type": "object", "required": ["n"], "properties": '
              '{"n": {"type": "integer"}, "s": {"type": "string", "default": "x"}}}')
    good = user_template(tmp_path, "<key>N</key>{{ n | plist }}<key>S</key>{{ s | plist }}",
                         schema=schema)
    # what it renders is no Apple document: build refuses it like lint would (STR007)...
    code, data, stderr = build(str(good), "--set", "n=0012")
    assert (code, data) == (1, b""), stderr
    assert "error STR007 not an Apple device-management document" in stderr
    # ... unless the configuration says such plists are meant
    config = tmp_path / "plain.toml"
    config.write_text('ignore = ["STR007"]\n')
    code, data, stderr = build(str(good), "--set", "n=0012", "--config", str(config))
    assert code == 0, stderr
    assert plistlib.loads(data) == {"N": 12, "S": "x"}
    result = run_cli("new", str(good))
    assert result.exit_code == 0
    assert "n:" in result.stdout


@pytest.mark.parametrize("name", ["enrollment", "profile", "root-cert", "scep"])
def test_bundled_values_schemas_pass_the_metaschema(name: str) -> None:
    # build does not check them on every run (jsonschema costs more than a hundred rows)
    import json

    from profilesmith.render.templates import bundled_root, check_schema

    path = bundled_root() / f"{name}.values.schema.json"
    check_schema(json.loads(path.read_text(encoding="utf-8")), path.name)


def test_building_from_a_bundled_template_does_not_import_jsonschema(tmp_path: Path) -> None:

    values = new_values(tmp_path)
    run = fresh_run(["build", "enrollment", "--values", str(values), "-o",
                     str(tmp_path / "out.mobileconfig")], ("jsonschema",))
    assert (run.code, run.imported) == (0, []), run.err
    assert read_bytes((tmp_path / "out.mobileconfig").read_bytes(), "out").root is not None


def test_unknown_template() -> None:
    code, _, stderr = build("nope")
    assert code == 2
    assert stderr == ("profilesmith: unknown template 'nope' (bundled: enrollment, profile, "
                      "root-cert, scep; or give the path of a .j2 file)\n")


def test_build_signs_in_the_same_pass(tmp_path: Path) -> None:
    from tests.pki import key_pem

    key = rsa_key()
    cert = make_cert(name("Build Signer"), key)
    (tmp_path / "s.key").write_bytes(key_pem(key))
    (tmp_path / "s.pem").write_bytes(pem_of(cert))
    values = new_values(tmp_path)
    _, unsigned, _ = build("enrollment", "--values", str(values), "-o", "-")
    code, signed, stderr = build("enrollment", "--values", str(values), "-o", "-",
                                 "--key", str(tmp_path / "s.key"),
                                 "--cert", str(tmp_path / "s.pem"))
    assert code == 0, stderr
    doc = read_bytes(signed, "signed.mobileconfig")
    assert doc.format == "cms"
    assert doc.content == unsigned



def test_directives_in_templates_reach_the_output(tmp_path: Path) -> None:
    template = user_template(tmp_path, """<key>PayloadType</key><string>Configuration</string>
<key>PayloadIdentifier</key><string>com.example.d</string>
<!-- profilesmith: ignore STR003 -->
<key>PayloadUUID</key><string>not-a-uuid</string>
<key>PayloadVersion</key><integer>1</integer>
<key>PayloadContent</key><array/>""")
    code, data, stderr = build(str(template))
    assert code == 0, stderr
    assert b"\t<!-- profilesmith: ignore STR003 -->\n\t<key>PayloadUUID</key>\n" in data
    assert [f.rule for f in lint_bytes(data) if f.rule == "STR003"] == []
    stripped = data.replace(b"\t<!-- profilesmith: ignore STR003 -->\n", b"")
    assert [f.rule for f in lint_bytes(stripped) if f.rule == "STR003"] == ["STR003"]


def test_a_bundled_name_wins_over_a_file_of_that_name(tmp_path: Path) -> None:
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        Path("scep").write_text("not a template")
        code, _, stderr = build("scep", "--set", "identifier=x", "--set", "scep.url=https://s.t")
        assert code == 0, stderr
    finally:
        os.chdir(cwd)
