"""The public API beyond the documented examples (tests/api/test_docs.py): lazy import,
the forms keys and certificates come in, errors, immutability, and the CLI as its client."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

import profilesmith
from tests.acceptance_helpers import child_env
from tests.conftest import REPO, empty_profile
from tests.pki import PKI, key_pem, pem_of

JUNE = datetime(2026, 6, 1, tzinfo=UTC)
PROFILES = REPO / "tests" / "data" / "profiles"
PROFILE = empty_profile("com.example.api", "3E5F7A9B-1C2D-4E3F-8A4B-5C6D7E8F9A0B")
HEAVY = ("jinja2", "cryptography", "jsonschema", "asn1crypto")


def _modules_after(code: str) -> list[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=child_env(),
                          capture_output=True, text=True, check=True)
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return modules


def test_import_profilesmith_costs_nothing() -> None:
    modules = _modules_after("import profilesmith")
    assert [m for m in modules if m.startswith("profilesmith.")] == [
        "profilesmith.base", "profilesmith.base.version"]
    assert not [m for m in modules if m.split(".")[0] in HEAVY]


def test_the_one_file_lint_process_goes_through_the_api(tmp_path: Path) -> None:
    profile = tmp_path / "plain.mobileconfig"
    profile.write_bytes((PROFILES / "good.mobileconfig").read_bytes())
    modules = _modules_after(
        "from profilesmith.cli import main\n"
        f"try:\n    main(['lint', {str(profile)!r}])\nexcept SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code")
    assert "profilesmith.api" in modules
    assert not [m for m in modules if m.split(".")[0] in HEAVY]
    # nor what only signatures need (an unsigned profile's SIG rules stop at once)
    assert not [m for m in modules if m.startswith("profilesmith.cms") or m == "dataclasses"]
    # nor what only writing files needs (tempfile drags in shutil and random)
    assert not [m for m in modules if m in ("tempfile", "shutil", "random")]


def test_lint_is_a_function_even_after_its_subpackage_is_imported() -> None:
    import profilesmith.lint.engine  # binds profilesmith.lint to the subpackage
    from profilesmith import lint

    assert lint is profilesmith.lint
    assert lint.engine is profilesmith.lint.engine  # still the package
    report = profilesmith.lint([PROFILES / "bad.mobileconfig"], select="str001")
    assert [(f.rule, f.line) for f in report.findings] == [("STR001", 20)]
    assert {"lint", "lint_bytes", "build", "sign", "verify", "Report"} <= set(dir(profilesmith))
    with pytest.raises(AttributeError, match="module 'profilesmith' has no attribute 'nope'"):
        profilesmith.nope  # type: ignore[attr-defined]  # noqa: B018


def test_lint_arguments() -> None:
    bad = PROFILES / "bad.mobileconfig"
    assert profilesmith.lint(str(bad)).exit_code == 1
    ignored = profilesmith.lint([bad], ignore=["STR001"], select=["STR"])
    assert [f.rule for f in ignored.findings] == ["STR003"]
    assert ignored.exit_code == 0
    assert profilesmith.lint([bad], ignore="STR001", select="STR", strict=True).exit_code == 1
    stdin = profilesmith.lint(["-"], stdin=bad.read_bytes(), select="STR001")
    assert [(f.path, f.rule) for f in stdin.findings] == [("-", "STR001")]
    both = profilesmith.lint([PROFILES], select="STR001", jobs=1)
    assert [dict(f)["path"] for f in both.files] == [str(bad), str(PROFILES / "good.mobileconfig")]


@pytest.mark.parametrize(("call", "line"), [
    (lambda: profilesmith.lint(["nope.mobileconfig"]), "nope.mobileconfig: no such file or "
                                                       "directory"),
    (lambda: profilesmith.lint([]), "no paths to lint"),
    (lambda: profilesmith.lint(["-"]), "-: give the bytes of standard input as stdin="),
    (lambda: profilesmith.lint_bytes(PROFILE, platforms="ipados"),
     "platforms: unknown platform 'ipados' (use ios, macos, tvos, watchos, visionos, "
     "optionally with :MIN_VERSION)"),
    (lambda: profilesmith.lint_bytes(PROFILE, config="missing.toml"),
     "missing.toml: cannot read (No such file or directory)"),
    (lambda: profilesmith.lint_bytes(PROFILE, select="MDM1O1"),
     "select: unknown rule code 'MDM1O1' (did you mean MDM101?)"),
    (lambda: profilesmith.lint([PROFILES], ignore=["STR001", "XYZ"]),
     "ignore: unknown rule code 'XYZ'"),
])
def test_bad_arguments_raise_one_line(call: object, line: str) -> None:
    with pytest.raises(profilesmith.ProfilesmithError) as caught:
        call()  # type: ignore[operator]
    assert (caught.value.lines, caught.value.exit_code, str(caught.value)) == ((line,), 2, line)


def test_the_report_is_immutable_and_renders_like_the_cli() -> None:
    report = profilesmith.lint_bytes((PROFILES / "bad.mobileconfig").read_bytes(),
                                     path="bad.mobileconfig", select="STR001,STR003")
    with pytest.raises(AttributeError, match="Report is immutable"):
        report.strict = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.files[0]["path"] = "x"  # type: ignore[index]
    assert report.findings[0].to_dict() == {
        "path": "bad.mobileconfig", "line": 20, "column": 4,
        "pointer": "/PayloadContent/0/allowCamera", "rule": "STR001", "severity": "error",
        "message": "duplicate key 'allowCamera': one of its values is dropped"}
    assert report.to_dict()["summary"] == {"files": 1, "errors": 1, "warnings": 1, "infos": 0}
    assert json.loads(report.render("json")) == report.to_dict()
    assert report.render("github").startswith(
        "::error file=bad.mobileconfig,line=20,col=4,title=STR001::duplicate key")
    assert report == profilesmith.lint_bytes((PROFILES / "bad.mobileconfig").read_bytes(),
                                             path="bad.mobileconfig", select="STR001,STR003")
    assert repr(report) == "Report(findings=2, files=1, errors=0, exit_code=1)"


def identity_forms(pki: PKI) -> dict[str, tuple[object, object, object]]:
    """(key, cert, chain) in every form the API accepts."""
    der = serialization.Encoding.DER
    key_der = pki.leaf.key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
    return {
        "paths": (str(pki.leaf.key_path), str(pki.leaf.cert_path),
                  [str(pki.intermediate.cert_path)]),
        "path objects": (pki.leaf.key_path, pki.leaf.cert_path, pki.intermediate.cert_path),
        "pem bytes": (key_pem(pki.leaf.key), pem_of(pki.leaf.cert),
                      pem_of(pki.intermediate.cert)),
        "pem text": (key_pem(pki.leaf.key).decode(), pem_of(pki.leaf.cert).decode(),
                     [pem_of(pki.intermediate.cert).decode()]),
        "der bytes": (key_der, pki.leaf.cert.public_bytes(der),
                      [pki.intermediate.cert.public_bytes(der)]),
        "objects": (pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert]),
        "full chain pem": (pki.leaf.key, pem_of(pki.leaf.cert) + pem_of(pki.intermediate.cert),
                           ()),
    }


@pytest.mark.parametrize("form", ["paths", "path objects", "pem bytes", "pem text",
                                  "der bytes", "objects", "full chain pem"])
def test_keys_certificates_and_anchors_in_every_form(pki: PKI, form: str) -> None:
    key, cert, chain = identity_forms(pki)[form]
    signed = profilesmith.sign(PROFILE, key=key, cert=cert, chain=chain, now=JUNE)
    for ca in (pki.root.cert_path, pem_of(pki.root.cert), [pki.root.cert]):
        result = profilesmith.verify(signed, ca=ca, now=JUNE)
        assert (result.verified, result.content) == (True, PROFILE)
        assert len(result.chain) == 3


def test_signing_problems(pki: PKI) -> None:
    with pytest.raises(profilesmith.ProfilesmithError) as caught:
        profilesmith.sign(PROFILE, key=pki.device.key, cert=pki.leaf.cert)
    assert caught.value.lines == ("the signing key: the private key does not match the "
                                  "certificate",)
    with pytest.raises(profilesmith.ProfilesmithError) as caught:
        profilesmith.sign(PROFILE, key=42, cert=pki.leaf.cert)
    assert caught.value.lines == ("the private key: int is not a private key (give a path, "
                                  "PEM/DER bytes or a cryptography key)",)
    locked = key_pem(pki.leaf.key, password=b"pw")
    with pytest.raises(profilesmith.PasswordRequired) as required:
        profilesmith.sign(PROFILE, key=locked, cert=pki.leaf.cert, chain=pki.intermediate.cert)
    assert required.value.lines == ("the private key: the private key is encrypted: a "
                                    "password is needed",)
    signed = profilesmith.sign(PROFILE, key=locked, password="pw", cert=pki.leaf.cert,
                               chain=pki.intermediate.cert, now=JUNE)
    assert profilesmith.verify(signed, ca=pki.root.cert, now=JUNE).verified
    # an expired signer: a warning, or with strict=True an error
    with pytest.warns(profilesmith.CertificateWarning, match="expired on 2026-05-01"):
        profilesmith.sign(PROFILE, key=pki.expired.key, cert=pki.expired.cert,
                          chain=pki.intermediate.cert, now=JUNE)
    with pytest.raises(profilesmith.CertificateError) as refused:
        profilesmith.sign(PROFILE, key=pki.expired.key, cert=pki.expired.cert,
                          chain=pki.intermediate.cert, now=JUNE, strict=True)
    assert refused.value.exit_code == 1
    assert profilesmith.check_signer(pki.leaf.cert, chain=pki.intermediate.cert, ca=pki.root.cert,
                                     now=JUNE) == ()
    assert profilesmith.check_recipient(pki.device.cert_path, now=JUNE) == ()


def test_sign_lints_first(pki: PKI) -> None:
    broken = PROFILE.replace(b"\t<key>PayloadVersion</key>",
                             b"\t<key>PayloadType</key>\n\t<string>Configuration</string>\n"
                             b"\t<key>PayloadVersion</key>")
    identity = {"key": pki.leaf.key, "cert": pki.leaf.cert, "chain": pki.intermediate.cert}
    with pytest.raises(profilesmith.LintFailed) as caught:
        profilesmith.sign(broken, path="b.mobileconfig", now=JUNE, **identity)
    assert [(f.path, f.rule) for f in caught.value.report.findings] == [
        ("b.mobileconfig", "STR001")]
    assert caught.value.exit_code == 1
    signed = profilesmith.sign(broken, check=False, now=JUNE, **identity)
    assert profilesmith.verify(signed, ca=pki.root.cert, now=JUNE).content == broken
    # a signed input is re-signed: the new signature holds the same content
    again = profilesmith.sign(signed, check=False, now=JUNE, **identity)
    assert profilesmith.verify(again, ca=pki.root.cert, now=JUNE).content == broken


def test_verification_of_unsigned_and_unanchored_data(pki: PKI) -> None:
    unsigned = profilesmith.verify(PROFILE, path="plain.mobileconfig")
    assert (unsigned.status, unsigned.reason, unsigned.exit_code) == ("unsigned", "unsigned", 1)
    signed = profilesmith.sign(PROFILE, key=pki.leaf.key, cert=pki.leaf.cert,
                               chain=pki.intermediate.cert, now=JUNE)
    other = profilesmith.verify(signed, ca=pki.other_root.cert, now=JUNE)
    assert (other.status, other.reason, other.content, other.anchored) == (
        "unverified", "unknown-root", None, False)
    assert other.anchors == "--ca (given certificate) (1 certificate)"
    with pytest.raises(AttributeError):
        other.status = "verified"  # type: ignore[misc]
    noted = other.with_warnings("a note")
    assert (noted.warnings, other.warnings) == (("a note",), ())
    assert noted.to_dict()["warnings"] == ["a note"]


def test_build_errors_and_strict(tmp_path: Path, pki: PKI) -> None:
    root = {"certificate": str(pki.root.cert_path), "identifier": "com.example.root"}
    data = profilesmith.build("root-cert", root)
    assert profilesmith.lint_bytes(data).exit_code == 0
    with pytest.raises(profilesmith.ProfilesmithError) as caught:
        profilesmith.build("no-such-template", root)
    assert caught.value.exit_code == 2
    assert caught.value.lines[0].startswith("unknown template 'no-such-template'")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        signed = profilesmith.build("root-cert", root, key=pki.leaf.key, cert=pki.leaf.cert,
                                    chain=pki.intermediate.cert, now=JUNE)
    assert profilesmith.verify(signed, ca=pki.root.cert, now=JUNE).verified
    with pytest.raises(profilesmith.ProfilesmithError, match="a key and a certificate together"):
        profilesmith.build("root-cert", root, key=pki.leaf.key)
