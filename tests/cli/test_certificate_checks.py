"""``sign``, ``build`` with a signer and ``encrypt`` say, before writing anything, what
``lint`` or a device would hold against the certificate: a warning on stderr for a
signer that is expired, not yet valid or whose chain misses its issuer (with ``--ca``:
does not reach those anchors), and for an expired recipient; ``--strict`` refuses them
(exit 1, nothing written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import empty_profile, run_cli
from tests.pki import PKI, Identity

NOW = ("--now", "2026-06-01")
PROFILE = empty_profile("com.example.checks", "5B1D8E02-3C4F-4A7B-9E6D-1F2A3B4C5D6E")
ORG = "O=profilesmith tests"
EXPIRED = f"the signer certificate CN=Expired Signer,{ORG} expired on 2026-05-01 00:00:00 UTC"
NO_ISSUER = (f"the issuer of the signer certificate, CN=Test Intermediate CA,{ORG}, is not in "
             "the chain to embed: devices that do not hold it show the profile as unverified "
             "(give it with --chain)")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.mobileconfig"
    path.write_bytes(PROFILE)
    return path


def identity(who: Identity, *chain: Identity) -> list[str]:
    args = ["--key", str(who.key_path), "--cert", str(who.cert_path)]
    for extra in chain:
        args += ["--chain", str(extra.cert_path)]
    return args


def sign(source: Path, out: Path, *args: str) -> tuple[int, str]:
    result = run_cli("sign", str(source), "-o", str(out), *NOW, *args)
    return result.exit_code, result.stderr


def test_a_good_signer_with_its_chain_says_nothing_but_what_was_written(
        pki: PKI, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    assert sign(source, out, *identity(pki.leaf, pki.intermediate)) == (
        0, f"profilesmith: wrote {out}\n")
    assert sign(source, tmp_path / "o2", *identity(pki.leaf, pki.intermediate), "--ca",
                str(pki.root.cert_path)) == (0, f"profilesmith: wrote {tmp_path / 'o2'}\n")


def test_an_expired_signer_is_a_warning_and_strict_refuses_it(
        pki: PKI, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    assert sign(source, out, *identity(pki.expired, pki.intermediate)) == (
        0, f"profilesmith: warning: {EXPIRED}\nprofilesmith: wrote {out}\n")
    strict = tmp_path / "strict.mobileconfig"
    assert sign(source, strict, *identity(pki.expired, pki.intermediate), "--strict") == (
        1, f"profilesmith: {EXPIRED}\nprofilesmith: nothing was signed (--strict)\n")
    assert not strict.exists()


def test_a_signer_not_yet_valid(pki: PKI, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    assert sign(source, out, *identity(pki.future, pki.intermediate)) == (
        0, f"profilesmith: warning: the signer certificate CN=Future Signer,{ORG} is not "
           f"valid before 2030-01-01 00:00:00 UTC\nprofilesmith: wrote {out}\n")


def test_a_chain_without_the_issuer(pki: PKI, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    assert sign(source, out, *identity(pki.leaf)) == (
        0, f"profilesmith: warning: {NO_ISSUER}\nprofilesmith: wrote {out}\n")
    # lint of the result says the same (SIG004): the warning was not invented
    lint = run_cli("lint", "--select", "SIG004", *NOW, str(out))
    assert " warning SIG004 " in lint.stdout
    # a self-signed signer has no issuer to miss
    assert sign(source, tmp_path / "s", *identity(pki.self_signed)) == (
        0, f"profilesmith: wrote {tmp_path / 's'}\n")


def test_a_chain_that_does_not_reach_the_given_root(
        pki: PKI, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    code, err = sign(source, out, *identity(pki.leaf, pki.intermediate), "--ca",
                     str(pki.other_root.cert_path))
    assert code == 0
    assert err == (
        f"profilesmith: warning: CN=Test Intermediate CA,{ORG} was issued by CN=Test Root "
        f"CA,{ORG}, which is not among the anchors: --ca {pki.other_root.cert_path} (1 "
        f"certificate)\nprofilesmith: wrote {out}\n")
    code, err = sign(source, tmp_path / "strict", *identity(pki.leaf, pki.intermediate),
                     "--ca", str(pki.other_root.cert_path), "--strict")
    assert code == 1
    assert err.endswith("profilesmith: nothing was signed (--strict)\n")


def test_a_batch_is_warned_once(pki: PKI, source: Path, tmp_path: Path) -> None:
    second = tmp_path / "second.mobileconfig"
    second.write_bytes(PROFILE.replace(b"com.example.checks", b"com.example.second")
                       .replace(b"5B1D8E02", b"5B1D8E03"))
    result = run_cli("sign", str(source), str(second), "--output-dir", str(tmp_path / "out"),
                     *NOW, *identity(pki.expired, pki.intermediate))
    assert result.exit_code == 0
    assert result.stderr == (f"profilesmith: warning: {EXPIRED}\nprofilesmith: wrote 2 signed "
                             f"profile(s) into {tmp_path / 'out'}\n")
    strict = run_cli("sign", str(source), str(second), "--output-dir", str(tmp_path / "s"),
                     *NOW, "--strict", *identity(pki.expired, pki.intermediate))
    assert (strict.exit_code, strict.stderr) == (
        1, f"profilesmith: {EXPIRED}\nprofilesmith: nothing was signed (--strict)\n")
    assert not (tmp_path / "s").exists()


def test_build_with_an_expired_signer(pki: PKI, tmp_path: Path) -> None:
    values = tmp_path / "v.yaml"
    values.write_text(run_cli("new", "root-cert").stdout)
    root = ["--set", f"certificate={pki.root.cert_path}"]
    out = tmp_path / "root.mobileconfig"
    result = run_cli("build", "root-cert", "--values", str(values), *root, "-o", str(out),
                     *NOW, *identity(pki.expired, pki.intermediate))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"profilesmith: warning: {EXPIRED}\nprofilesmith: wrote {out}\n"
    strict = run_cli("build", "root-cert", "--values", str(values), *root, "-o",
                     str(tmp_path / "s.mobileconfig"), *NOW, "--strict",
                     *identity(pki.expired, pki.intermediate))
    assert (strict.exit_code, strict.stderr) == (
        1, f"profilesmith: {EXPIRED}\nprofilesmith: nothing was written (--strict)\n")
    assert not (tmp_path / "s.mobileconfig").exists()


def test_encrypt_to_an_expired_recipient(pki: PKI, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "enc.mobileconfig"
    expired = f"the recipient certificate CN=Expired Signer,{ORG} expired on 2026-05-01 " \
              "00:00:00 UTC"
    result = run_cli("encrypt", str(source), "-o", str(out), "--recipient",
                     str(pki.expired.cert_path), *NOW)
    assert (result.exit_code, result.stderr) == (
        0, f"profilesmith: warning: {expired}\nprofilesmith: wrote {out}\n")
    strict = run_cli("encrypt", str(source), "-o", str(tmp_path / "s"), "--recipient",
                     str(pki.expired.cert_path), *NOW, "--strict")
    assert (strict.exit_code, strict.stderr) == (
        1, f"profilesmith: {expired}\nprofilesmith: nothing was encrypted (--strict)\n")
    assert not (tmp_path / "s").exists()
    good = run_cli("encrypt", str(source), "-o", str(tmp_path / "g"), "--recipient",
                   str(pki.device.cert_path), *NOW, "--strict")
    assert (good.exit_code, good.stderr) == (0, f"profilesmith: wrote {tmp_path / 'g'}\n")
