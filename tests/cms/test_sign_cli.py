"""``profilesmith sign`` and ``unsign``: options, lint-first, batches, re-signing, passwords."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import cms

from profilesmith.cms.signer import Signer
from tests.conftest import fresh_run, plist, run_cli
from tests.pki import PKI, key_pem

GOOD = plist("""<dict>
	<key>PayloadContent</key>
	<array/>
	<key>PayloadIdentifier</key>
	<string>com.example.sign</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>1C3F2B7A-5D4E-4A6B-9C8D-7E6F5A4B3C2D</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>""")
# a duplicate key: STR001, an error
BROKEN = GOOD.replace(b"\t<key>PayloadVersion</key>",
                      b"\t<key>PayloadType</key>\n\t<string>Configuration</string>\n"
                      b"\t<key>PayloadVersion</key>")




def leaf_args(pki: PKI) -> list[str]:
    return ["--key", str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path),
            "--chain", str(pki.intermediate.cert_path)]


def signed_facts(data: bytes) -> tuple[bytes, str]:
    """(content, signer common name) of a signature we made."""
    info = cms.ContentInfo.load(data)["content"]
    content = info["encap_content_info"]["content"].native
    leaf = info["certificates"][0].chosen
    return content, leaf.subject.native["common_name"]


def test_sign_one_file(pki: PKI, tmp_path: Path) -> None:
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(GOOD)
    out = tmp_path / "out.mobileconfig"
    result = run_cli("sign", str(source), "-o", str(out), *leaf_args(pki))
    assert result.exit_code == 0, result.output
    assert signed_facts(out.read_bytes()) == (GOOD, "Profile Signer")
    verified = run_cli("verify", str(out), "--ca", str(pki.root.cert_path))
    assert verified.exit_code == 0
    assert verified.output.startswith(f"{out}: Verified\n")


def test_refuses_to_overwrite_without_force(pki: PKI, tmp_path: Path) -> None:
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(GOOD)
    out = tmp_path / "out.mobileconfig"
    out.write_bytes(b"keep me")
    result = run_cli("sign", str(source), "-o", str(out), *leaf_args(pki))
    assert result.exit_code == 2
    assert "exists (use --force to replace it)" in result.output
    assert out.read_bytes() == b"keep me"
    assert run_cli("sign", str(source), "-o", str(out), "--force", *leaf_args(pki)).exit_code == 0
    assert signed_facts(out.read_bytes())[0] == GOOD


def test_batch_into_directory_with_a_signed_input_resigned(pki: PKI, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a", "b"):
        (inputs / f"{name}.mobileconfig").write_bytes(GOOD.replace(b"sign<", name.encode() + b"<"))
    old = Signer.from_objects(pki.expired.key, pki.expired.cert, [pki.intermediate.cert])
    (inputs / "renew.mobileconfig").write_bytes(old.sign(GOOD))
    out = tmp_path / "out"
    sources = sorted(str(p) for p in inputs.iterdir())
    result = run_cli("sign", *sources, "--output-dir", str(out), *leaf_args(pki))
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"profilesmith: wrote 3 signed profile(s) into {out} (1 re-signed: "
                             "the old signature was replaced)\n")
    assert "1 re-signed" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "a.mobileconfig", "b.mobileconfig", "renew.mobileconfig"]
    # the renewed file carries the original content and the new signer only
    content, signer = signed_facts((out / "renew.mobileconfig").read_bytes())
    assert (content, signer) == (GOOD, "Profile Signer")
    assert signed_facts((out / "a.mobileconfig").read_bytes())[0] == GOOD.replace(b"sign<", b"a<")


def test_lint_errors_stop_the_whole_batch(pki: PKI, tmp_path: Path) -> None:
    good = tmp_path / "good.mobileconfig"
    bad = tmp_path / "bad.mobileconfig"
    good.write_bytes(GOOD)
    bad.write_bytes(BROKEN)
    out = tmp_path / "out"
    result = run_cli("sign", str(good), str(bad), "--output-dir", str(out), *leaf_args(pki))
    assert result.exit_code == 1
    assert f"{bad}:13:" in result.output
    assert "error STR001" in result.output
    assert "nothing was signed" in result.output
    assert not out.exists()  # nothing written, and no empty directory left behind
    out.mkdir()  # a directory that was there before stays
    assert run_cli("sign", str(good), str(bad), "--output-dir", str(out),
                   *leaf_args(pki)).exit_code == 1
    assert list(out.iterdir()) == []
    forced = run_cli("sign", str(good), str(bad), "--output-dir", str(out), "--no-lint",
                     *leaf_args(pki))
    assert forced.exit_code == 0
    assert signed_facts((out / "bad.mobileconfig").read_bytes())[0] == BROKEN


def test_unreadable_input_and_colliding_outputs_write_nothing(pki: PKI, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "same.mobileconfig").write_bytes(GOOD)
    out = tmp_path / "out"
    result = run_cli("sign", str(tmp_path / "a" / "same.mobileconfig"),
                     str(tmp_path / "b" / "same.mobileconfig"), str(tmp_path / "missing"),
                     "--output-dir", str(out), *leaf_args(pki))
    assert result.exit_code == 2
    assert "is also the output of" in result.output
    assert "missing: cannot read" in result.output
    assert not out.exists()  # nothing written, and no empty directory left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give -o OUT (one input) or --output-dir DIR"),
        (["-o", "x", "--output-dir", "d"], "give -o OUT (one input) or --output-dir DIR"),
        (["IN2", "-o", "x"], "-o takes one input"),
    ],
)
def test_output_options_are_checked(pki: PKI, tmp_path: Path, args: list[str],
                                    message: str) -> None:
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(GOOD)
    args = [str(source) if a == "IN2" else a for a in args]
    result = run_cli("sign", str(source), *args, *leaf_args(pki))
    assert result.exit_code == 2
    assert message in result.output


def test_missing_identity_options(tmp_path: Path) -> None:
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(GOOD)
    result = run_cli("sign", str(source), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "sign needs --key and --cert, or --p12" in result.output
    result = run_cli("sign", str(source), "-o", str(tmp_path / "o"), "--key", "k.pem")
    assert result.exit_code == 2
    assert "signing needs --key and --cert together" in result.output


def test_password_from_environment_never_echoed(pki: PKI, tmp_path: Path) -> None:
    key = tmp_path / "enc.key"
    key.write_bytes(key_pem(pki.leaf.key, b"Hunter2-secret"))
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(GOOD)
    base = ["sign", str(source), "--key", str(key), "--cert", str(pki.leaf.cert_path)]
    unset = run_cli(*base, "-o", str(tmp_path / "1"), "--password-env", "PS_PW",
                    env={"PS_PW": None})  # type: ignore[dict-item]
    assert unset.exit_code == 2
    assert "--password-env PS_PW: the environment variable is not set" in unset.output
    wrong = run_cli(*base, "-o", str(tmp_path / "2"), "--password-env", "PS_PW",
                    env={"PS_PW": "not-it-Hunter3"})
    assert wrong.exit_code == 2
    assert wrong.output == f"profilesmith: {key}: wrong password for the private key\n"
    # no terminal, no --password-env: a clear usage error instead of a hanging prompt
    no_tty = run_cli(*base, "-o", str(tmp_path / "3"))
    assert no_tty.exit_code == 2
    assert "a password is needed (use --password-env VAR)" in no_tty.output
    good = run_cli(*base, "-o", str(tmp_path / "4"), "--password-env", "PS_PW",
                   env={"PS_PW": "Hunter2-secret"})
    assert good.exit_code == 0
    for result in (unset, wrong, no_tty, good):
        assert "Hunter" not in result.output
    assert b"Hunter2" not in (tmp_path / "4").read_bytes()


def test_password_prompt_on_a_terminal(pki: PKI, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import profilesmith.cli.signing_options as options

    monkeypatch.setattr(options, "_interactive", lambda: True)
    key = tmp_path / "enc.key"
    key.write_bytes(key_pem(pki.leaf.key, b"typed-pw"))
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(GOOD)
    result = run_cli("sign", str(source), "-o", str(tmp_path / "out"), "--key", str(key),
                     "--cert", str(pki.leaf.cert_path), input="typed-pw\n")
    assert result.exit_code == 0, result.output
    assert "Password for" in result.output
    assert "typed-pw" not in result.output


def test_key_and_certificate_mismatch_is_one_line(pki: PKI, tmp_path: Path) -> None:
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(GOOD)
    result = run_cli("sign", str(source), "-o", str(tmp_path / "o"), "--key",
                     str(pki.device.key_path), "--cert", str(pki.leaf.cert_path))
    assert result.exit_code == 2
    assert result.output == (f"profilesmith: {pki.device.key_path}: the private key does "
                             "not match the certificate\n")


def test_sign_from_stdin(pki: PKI, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    result = run_cli("sign", "-", "-o", str(out), *leaf_args(pki), input=GOOD)
    assert result.exit_code == 0, result.output
    assert signed_facts(out.read_bytes())[0] == GOOD


def test_unsign_gives_the_exact_content(pki: PKI, tmp_path: Path) -> None:
    content = GOOD.replace(b"\n", b"\r\n")
    signed = tmp_path / "signed.mobileconfig"
    signed.write_bytes(Signer.from_objects(pki.leaf.key, pki.leaf.cert).sign(content))
    out = tmp_path / "plain.mobileconfig"
    result = run_cli("unsign", str(signed), "-o", str(out))
    assert result.exit_code == 0
    assert "the signature was not checked" in result.output
    assert out.read_bytes() == content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (GOOD, "not signed"),
        (b"\x30\x82\x01\x00garbage", "unreadable CMS structure"),
        (b"", "not signed"),
    ],
    ids=["plain", "truncated", "empty"],
)
def test_unsign_bad_input(tmp_path: Path, data: bytes, message: str) -> None:
    source = tmp_path / "in"
    source.write_bytes(data)
    result = run_cli("unsign", str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_no_traceback_from_the_real_entry_point(pki: PKI, tmp_path: Path) -> None:
    source = tmp_path / "random.mobileconfig"
    source.write_bytes(os.urandom(64))
    env = {**os.environ, "NO_COLOR": "1"}
    for args in (
        ["sign", str(source), "-o", str(tmp_path / "o"), "--key", str(source),
         "--cert", str(source)],
        ["sign", str(source), "-o", str(tmp_path / "o"), "--p12", str(tmp_path / "none.p12")],
        ["verify", str(source)],
        ["unsign", str(source), "-o", str(tmp_path / "o")],
        ["decrypt", str(source), "-o", str(tmp_path / "o"), "--key", str(pki.device.key_path),
         "--cert", str(pki.device.cert_path)],
    ):
        done = subprocess.run([sys.executable, "-m", "profilesmith", *args],
                              capture_output=True, text=True, env=env)
        assert done.returncode in (1, 2), (args, done.stderr)
        assert "Traceback" not in done.stderr + done.stdout


def test_parallel_batch_signs_every_file(pki: PKI, tmp_path: Path) -> None:
    inputs = []
    for index in range(6):
        path = tmp_path / f"p{index}.mobileconfig"
        path.write_bytes(GOOD.replace(b"sign<", f"sign{index}<".encode()))
        inputs.append(str(path))
    out = tmp_path / "out"
    result = run_cli("sign", *inputs, "--output-dir", str(out), "--jobs", "2", *leaf_args(pki))
    assert result.exit_code == 0, result.output
    for index in range(6):
        content, signer = signed_facts((out / f"p{index}.mobileconfig").read_bytes())
        assert content == GOOD.replace(b"sign<", f"sign{index}<".encode())
        assert signer == "Profile Signer"


def test_parallel_batch_with_a_lint_error_writes_nothing(pki: PKI, tmp_path: Path) -> None:
    paths = [tmp_path / "a.mobileconfig", tmp_path / "b.mobileconfig"]
    paths[0].write_bytes(GOOD)
    paths[1].write_bytes(BROKEN)
    out = tmp_path / "out"
    result = run_cli("sign", *map(str, paths), "--output-dir", str(out), "-j", "2",
                     *leaf_args(pki))
    assert result.exit_code == 1
    assert not out.exists()  # nothing written, and no empty directory left behind


def test_write_many_never_clobbers_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    from profilesmith.cms.batch import write_many

    taken = tmp_path / "taken.mobileconfig"
    taken.write_bytes(b"original")
    written: list[str] = []
    problem = write_many([(str(tmp_path / "new.mobileconfig"), b"new"), (str(taken), b"x")],
                         force=False, written=written)
    assert problem == f"{taken}: exists (use --force to replace it)"
    assert taken.read_bytes() == b"original"
    # the taken path is seen before anything of the chunk is written
    assert written == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.mobileconfig"]
    assert write_many([(str(taken), b"replaced")], force=True, written=written) == ""
    assert written == [str(taken)]
    assert taken.read_bytes() == b"replaced"


def test_a_batch_in_one_process_does_not_import_multiprocessing(pki: PKI, tmp_path: Path
                                                                  ) -> None:
    # importing multiprocessing costs about 20 ms of CPU: only a pool of workers needs it
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.mobileconfig").write_bytes(GOOD)
    args = ["sign", *(str(tmp_path / f"{n}.mobileconfig") for n in "abc"),
            "--output-dir", str(tmp_path / "out"), *leaf_args(pki), "--jobs", "1"]
    run = fresh_run(args, ("multiprocessing", "concurrent.futures"))
    assert (run.code, run.imported) == (0, [])
    assert sorted(os.listdir(tmp_path / "out")) == [f"{n}.mobileconfig" for n in "abc"]


def test_parallel_batch_reports_the_first_input_linted_before_the_workers(
        pki: PKI, tmp_path: Path) -> None:
    # the first input is linted in this process (what it compiles, the workers inherit):
    # its findings are reported like those of the inputs the workers lint
    paths = [tmp_path / f"{name}.mobileconfig" for name in ("a", "b", "c", "d")]
    for path, data in zip(paths, (BROKEN, GOOD, BROKEN, GOOD), strict=True):
        path.write_bytes(data)
    out = tmp_path / "out"
    result = run_cli("sign", *map(str, paths), "--output-dir", str(out), "-j", "2",
                     *leaf_args(pki))
    assert result.exit_code == 1
    flagged = sorted({line.split(":", 1)[0] for line in result.stdout.splitlines()
                      if " STR001 " in line})
    assert flagged == [str(paths[0]), str(paths[2])]
    assert not out.exists()
