"""Inputs and commands for the signing targets: ``sign`` of a batch (lint included) against
a bare cryptography sign-and-write loop in one python process, and ``build --rows`` with a
signer against ``sign`` of as many profiles.

The profiles are per-device enrollment profiles built by the project itself (each row its
own serial and challenge), signed with a throwaway RSA-2048 identity.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

from measure import BenchError, Command

# What a script that signs profiles with cryptography alone does: read, sign (PKCS#7
# SignedData, SHA-256, the certificate embedded, the content attached), write.
BARE_SIGN = """
import sys
from pathlib import Path
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
key = serialization.load_pem_private_key(Path(sys.argv[1]).read_bytes(), password=None)
cert = x509.load_pem_x509_certificate(Path(sys.argv[2]).read_bytes())
out = Path(sys.argv[3])
out.mkdir(exist_ok=True)
for name in sys.argv[4:]:
    path = Path(name)
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(path.read_bytes())
              .add_signer(cert, key, hashes.SHA256())
              .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    (out / path.name).write_bytes(signed)
"""


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


def _values(work: Path) -> Path:
    values = work / "values.yaml"
    values.write_text(
        "identifier: com.example.bench.mdm\n"
        "organization: Example Inc.\n"
        "server_url: https://mdm.corp.test/mdm\n"
        "topic: com.apple.mgmt.External.4c2f6b8e-1d3a-4f5e-9b7c-0a1b2c3d4e5f\n"
        "scep:\n  url: https://scep.corp.test/scep\n  subject: O=Example Inc./CN=%SerialNumber%\n"
    )
    return values


def _rows(work: Path, count: int) -> Path:
    rows = work / f"rows-{count}.csv"
    rows.write_text("serial,scep.challenge\n" + "".join(
        f"C02X{i:06d},challenge-{i}\n" for i in range(count)))
    return rows


def _build_argv(exe: list[str], work: Path, count: int, out: Path) -> list[str]:
    return [*exe, "build", "enrollment", "--values", str(_values(work)),
            "--rows", str(_rows(work, count)), "--output-dir", str(out),
            "--name", "{serial}.mobileconfig"]


def build_profiles(exe: list[str], work: Path, count: int) -> list[Path]:
    """``count`` distinct unsigned enrollment profiles, built with the project."""
    out = work / f"built-{count}"
    done = subprocess.run(_build_argv(exe, work, count, out), capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"build of {count} profiles failed: {done.stderr.strip()}")
    return sorted(out.glob("*.mobileconfig"))


def _fresh(directory: Path) -> Command:
    """A command whose output directory is emptied before every run (outside the timing)."""
    def clear() -> None:
        shutil.rmtree(directory, ignore_errors=True)
    command = Command("", [])
    command.before = clear
    return command


def sign_command(exe: list[str], files: list[Path], out: Path, key: Path,
                 cert: Path) -> Command:
    command = _fresh(out)
    command.label = f"profilesmith sign ({len(files)}, lint included)"
    command.argv = [*exe, "sign", *map(str, files), "--output-dir", str(out),
                    "--key", str(key), "--cert", str(cert)]
    return command


def bare_sign_command(files: list[Path], out: Path, key: Path, cert: Path) -> Command:
    command = _fresh(out)
    command.label = f"bare cryptography sign-and-write loop ({len(files)})"
    command.argv = [sys.executable, "-c", BARE_SIGN, str(key), str(cert), str(out),
                    *map(str, files)]
    return command


def build_signed_command(exe: list[str], work: Path, count: int, key: Path,
                         cert: Path) -> Command:
    out = work / f"build-signed-{count}"
    command = _fresh(out)
    command.label = f"profilesmith build --rows ({count}, signed)"
    command.argv = [*_build_argv(exe, work, count, out), "--key", str(key), "--cert", str(cert)]
    return command
