"""Benchmark sections for signing and batch builds (the README's performance table,
targets 3 and 4).

Everything runs as a user would run it: the ``profilesmith`` command in a child process,
against ``openssl smime -sign`` processes. These are throughput targets (a batch uses
every CPU), so the ratios are of wall time; CPU time (user + system) is printed beside it.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _run(argv: list[str], **kwargs: Any) -> tuple[float, float]:
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    if status != 0:
        message = child.stderr.read().decode(errors="replace") if child.stderr else ""
        raise RuntimeError(f"{argv[0]} {argv[1]} failed: {message.strip()}")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def make_identity(work: Path) -> tuple[Path, Path]:
    """A throwaway RSA-2048 signing key and self-signed certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "profilesmith bench signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False,
                                     False), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = work / "signer.key", work / "signer.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def enrollment_values(work: Path) -> Path:
    values = work / "values.yaml"
    values.write_text(
        "identifier: com.example.bench.mdm\n"
        "organization: Example Inc.\n"
        "server_url: https://mdm.corp.test/mdm\n"
        "topic: com.apple.mgmt.External.4c2f6b8e-1d3a-4f5e-9b7c-0a1b2c3d4e5f\n"
        "scep:\n  url: https://scep.corp.test/scep\n  subject: O=Example Inc./CN=%SerialNumber%\n"
    )
    return values


def build_profiles(exe: str, work: Path, count: int) -> list[Path]:
    """``count`` distinct per-device enrollment profiles, built with the project."""
    values = enrollment_values(work)
    rows = work / f"rows-{count}.csv"
    rows.write_text("serial,scep.challenge\n" + "".join(
        f"C02X{i:06d},challenge-{i}\n" for i in range(count)))
    out = work / f"built-{count}"
    _run([exe, "build", "enrollment", "--values", str(values), "--rows", str(rows),
          "--output-dir", str(out), "--name", "{serial}.mobileconfig"])
    return sorted(out.glob("*.mobileconfig"))


def _sign_cpu(exe: str, files: list[Path], out: Path, key: Path, cert: Path,
              *extra: str) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    return _run([exe, "sign", *map(str, files), "--output-dir", str(out), "--key", str(key),
                 "--cert", str(cert), *extra])


def signing(exe: str, work: Path, count: int, openssl_count: int) -> list[Any]:
    from run import Result

    key, cert = make_identity(work)
    files = build_profiles(exe, work, count)
    ours, ours_wall = _sign_cpu(exe, files, work / "signed", key, cert)
    plain, plain_wall = _sign_cpu(exe, files, work / "signed-nolint", key, cert, "--no-lint")
    openssl_cpu = openssl_wall = 0.0
    (work / "openssl").mkdir()
    for index, path in enumerate(files[:openssl_count]):
        cpu, wall = _run(["openssl", "smime", "-sign", "-binary", "-nodetach", "-outform",
                          "DER", "-in", str(path), "-out", str(work / "openssl" / f"{index}.der"),
                          "-signer", str(cert), "-inkey", str(key)])
        openssl_cpu += cpu
        openssl_wall += wall
    per_openssl = openssl_cpu / openssl_count
    per_openssl_wall = openssl_wall / openssl_count
    results = []
    for label, cpu, wall in (("sign (lint + sign)", ours, ours_wall),
                             ("sign --no-lint", plain, plain_wall)):
        ratio = per_openssl_wall / (wall / count)
        results.append(Result(
            f"batch {label} vs openssl per file", ratio, ">= 15x faster (wall)", ratio >= 15,
            f"{count} files: {wall / count * 1e3:.2f} ms/file wall ({cpu / count * 1e3:.2f} "
            f"CPU); openssl smime -sign {per_openssl_wall * 1e3:.1f} ms/file wall "
            f"({per_openssl * 1e3:.1f} CPU, {openssl_count} processes)"))
    return results


def signing_core(work: Path, count: int) -> list[Any]:
    """Per-profile cost of profilesmith's Signer against a bare cryptography PKCS#7 sign."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7
    from run import Result, best_of

    from profilesmith.cms.batch import sign_many
    from profilesmith.cms.signer import Signer

    key_path, cert_path = make_identity(work)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    signer = Signer.load(key=str(key_path), cert=str(cert_path))
    contents = [(b"<plist><dict><key>N</key><integer>%d</integer></dict></plist>" % i) * 40
                for i in range(count)]
    options = [pkcs7.PKCS7Options.Binary]

    def bare() -> None:
        for content in contents:
            (pkcs7.PKCS7SignatureBuilder().set_data(content)
             .add_signer(cert, key, hashes.SHA256())  # type: ignore[arg-type]
             .sign(serialization.Encoding.DER, options))

    def ours() -> None:
        for _ in sign_many(contents, signer):
            pass

    base = took = float("inf")
    for _ in range(7):  # alternate, so that drifting load weighs on both alike
        base = min(base, best_of(1, bare))
        took = min(took, best_of(1, ours))
    ratio = took / base
    return [Result("sign --no-lint per profile vs bare cryptography", ratio, "<= 1.2x",
                   ratio <= 1.2, f"{took / count * 1e6:.0f} us vs {base / count * 1e6:.0f} us "
                   f"per profile ({count} profiles, best of 7 alternating runs)")]


def batch_build(exe: str, work: Path, count: int) -> list[Any]:
    """render + lint + sign + write of ``count`` per-device profiles vs signing them."""
    from run import Result

    key, cert = make_identity(work)
    values = enrollment_values(work)
    rows = work / "rows.csv"
    rows.write_text("serial,scep.challenge\n" + "".join(
        f"C02Y{i:06d},challenge-{i}\n" for i in range(count)))
    built = work / "build-signed"
    build_cpu, build_wall = _run([
        exe, "build", "enrollment", "--values", str(values), "--rows", str(rows),
        "--output-dir", str(built), "--name", "{serial}.mobileconfig",
        "--key", str(key), "--cert", str(cert)])
    unsigned = build_profiles(exe, work, count)
    sign_cpu, sign_wall = _sign_cpu(exe, unsigned, work / "sign-only", key, cert)
    ratio = build_wall / sign_wall
    return [Result(
        "batch build + sign vs sign-only", ratio, "<= 2.0x (wall)", ratio <= 2.0,
        f"{count} profiles: build {build_wall / count * 1e3:.2f} ms/profile wall "
        f"({build_cpu / count * 1e3:.2f} CPU), sign {sign_wall / count * 1e3:.2f} ms/profile "
        f"wall ({sign_cpu / count * 1e3:.2f} CPU)")]


def sections(exe: str) -> dict[str, Callable[[Path, bool], list[Any]]]:
    return {
        "sign": lambda work, quick: signing(exe, work, 200 if quick else 1000,
                                            20 if quick else 100),
        "sign-core": lambda work, quick: signing_core(work, 200 if quick else 1000),
        "build": lambda work, quick: batch_build(exe, work, 1000 if quick else 10_000),
    }


if __name__ == "__main__":
    sys.exit("run bench/run.py")
