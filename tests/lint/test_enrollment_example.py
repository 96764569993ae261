"""Apple's example enrollment profile (the MDM payload page, ../shared/seeds/002_*.txt):
PEM + SCEP + MDM, written out as tests/fixtures/enrollment/apple-mdm-example.mobileconfig
with the page's values and base64 text unchanged.

Its real defects, and nothing else:

- the PEM text inside the certificate payload's data has two characters outside the base64
  alphabet: byte 0xED on line 13 (column 58) and a backslash on line 24 (column 47). The
  data is not a certificate a device can decode (CRT101, error);
- read past those two characters, the certificate inside (CN=MC Root Cert, RSA-4096, valid
  2019-05-01 ... 2029-04-28) carries an outer signatureAlgorithm 1.2.840.113549.1.18.11, an
  OID that names no algorithm, while its TBSCertificate says sha256WithRSAEncryption
  (CRT110, warning);
- the SCEP Challenge is in clear (SEC101, warning);
- every URL points at mdm.example.com, a reserved example domain (SCP107 for the SCEP URL,
  MDM111 for ServerURL and CheckInURL, warnings).

The same profile with a valid certificate (apple-mdm-example-valid-cert.mobileconfig,
written by tests/fixtures/make_enrollment_certs.py) has no error: only the warnings.
"""

from __future__ import annotations

import base64
import plistlib
import re
from pathlib import Path

from profilesmith.base.findings import Severity
from tests.conftest import lint_files, need_shared
from tests.enrollment_profiles import data_of, fixture

EXAMPLE = fixture("enrollment/apple-mdm-example.mobileconfig")
VALID = fixture("enrollment/apple-mdm-example-valid-cert.mobileconfig")
PEM = "/PayloadContent/0/PayloadContent"

WARNINGS = [
    (75, "SCP107", "/PayloadContent/1/PayloadContent/URL", "the SCEP URL looks like a "
     "placeholder: its host mdm.example.com is a reserved example domain"),
    (98, "SEC101", "/PayloadContent/1/PayloadContent/Challenge", "the SCEP Challenge is "
     "stored in clear in the profile (its value is not shown); anyone who can read the file "
     "can use it"),
    (113, "MDM111", "/PayloadContent/2/ServerURL", "ServerURL looks like a placeholder: its "
     "host mdm.example.com is a reserved example domain"),
    (124, "MDM111", "/PayloadContent/2/CheckInURL", "CheckInURL looks like a placeholder: its "
     "host mdm.example.com is a reserved example domain"),
]


def findings_of(path: object, **changes: object) -> list[tuple[int | None, str, str, str]]:
    return [(f.line, f.rule, f.pointer, f.message) for f in lint_files([str(path)], **changes)]


def test_the_example_reports_its_defects_and_nothing_else() -> None:
    assert findings_of(EXAMPLE) == [
        (9, "CRT101", PEM, "not a certificate: line 13 of the PEM text, column 58: byte 0xED "
         "is outside the base64 alphabet; line 24, column 47: character '\\' is outside the "
         "base64 alphabet"),
        (9, "CRT110", PEM, "the certificate (CN=MC Root Cert) has mismatched signature "
         "algorithms: signatureAlgorithm 1.2.840.113549.1.18.11 (an unknown algorithm), but "
         "TBSCertificate signature sha256WithRSAEncryption (1.2.840.113549.1.1.11) (read past "
         "the bad base64 characters CRT101 reports)"),
        *WARNINGS,
    ]
    severities = [f.severity for f in lint_files([str(EXAMPLE)])]
    assert severities == [Severity.ERROR] + [Severity.WARNING] * 5


def test_the_example_targeting_every_platform_adds_nothing() -> None:
    everything = frozenset({"ios", "macos", "tvos", "watchos", "visionos"})
    # PromptUserToAllowBootstrapTokenForAuthentication is macOS-only: AVL002 elsewhere
    extra = [(f.line, f.rule, f.pointer) for f in lint_files([str(EXAMPLE)],
                                                             platforms=everything)
             if f.rule not in ("CRT101", "CRT110", "SCP107", "SEC101", "MDM111")]
    assert {rule for _, rule, _ in extra} <= {"AVL002"}
    assert {pointer for _, _, pointer in extra} == {
        "/PayloadContent/2/PromptUserToAllowBootstrapTokenForAuthentication"}


def test_with_a_valid_certificate_the_example_lints_clean() -> None:
    # only the base64 block differs in length (22 lines shorter for the fixture root)
    shift = len(EXAMPLE.read_text().splitlines()) - len(VALID.read_text().splitlines())
    assert findings_of(VALID) == [(line - shift, *rest) for line, *rest in WARNINGS]
    assert all(f.severity is Severity.WARNING for f in lint_files([str(VALID)]))


def test_the_valid_variant_differs_only_in_the_certificate() -> None:
    example = plistlib.loads(EXAMPLE.read_bytes())
    valid = plistlib.loads(VALID.read_bytes())
    assert valid["PayloadContent"][0]["PayloadContent"] == data_of("root-ca.pem")
    valid["PayloadContent"][0]["PayloadContent"] = example["PayloadContent"][0]["PayloadContent"]
    assert valid == example


def test_the_fixture_holds_the_page_s_base64_text() -> None:
    seeds = sorted(need_shared("seeds").glob("002_*.txt"))
    assert seeds, "the MDM payload page (seeds/002_*.txt) is missing"
    page = seeds[0].read_text()
    block = re.search(r"\n( +LS0tLS1CRUdJTi[\s\S]*?LS0tLS0K)\n", page)
    assert block is not None
    text = EXAMPLE.read_text()
    assert block.group(1) in text
    for value in ("https://mdm.example.com:2002/scep", "MDMEnrollment",
                  "com.apple.mgmt.External.c809ab17-1cbd-48f2-8dc7-e952131df20c",
                  "0dfe81fe-e8f6-45c0-9860-2c893fe30114", "1f4ef23b-ab01-45b9-879c-7a036e47b083"):
        assert value in page
        assert value in text
    decoded = base64.b64decode("".join(block.group(1).split()))
    assert decoded.startswith(b"-----BEGIN CERTIFICATE-----\n")


# What the enrollment rules say about ../shared/corpus/real-world (on the fixed clock). The
# two errors are on profiles that cannot work: a SCEP URL without a scheme (a Kandji
# template, placeholder host) and an MDM identity that is a root certificate (Mattrax's
# superseded enroll_old.mobileconfig). Everything else is a warning.
CORPUS_FINDINGS = [
    ("kandji-inc__support/Configuration Profiles/custom_wifi_scep_certchain_example"
     ".mobileconfig", [("SCP101", 41), ("SCP103", 39), ("SCP107", 41)]),
    ("mattrax__Mattrax-Archive/enroll.mobileconfig", [("SCP103", 13), ("SEC101", 19)]),
    ("mattrax__Mattrax-Archive/enroll_old.mobileconfig", [("CRT104", 11), ("MDM104", 60)]),
    ("micromdm__nanomdm/docs/enroll.mobileconfig",
     [("MDM111", 52), ("MDM111", 56), ("SCP107", 13), ("SCP107", 19)]),
    ("micromdm__scep/testdata/testca/sceptest.mobileconfig",
     [("CRT104", 38), ("SCP102", 19), ("SCP103", 13), ("SCP106", 10)]),
    ("microsoft__shell-intune-samples/macOS/Custom Profiles/Wi-Fi/WPA3-Personal/"
     "Wi-Fi - Contoso Network.mobileconfig", [("SEC104", 21)]),
]


def test_enrollment_rules_over_the_real_world_corpus(corpus: Path) -> None:
    findings = lint_files([str(corpus)], select=("MDM", "SCP", "CRT", "SEC"))
    found: dict[str, list[tuple[str, int | None]]] = {}
    for f in findings:
        found.setdefault(str(Path(f.path).relative_to(corpus)), []).append((f.rule, f.line))
    assert {path: sorted(hits) for path, hits in found.items()} == dict(CORPUS_FINDINGS)
    errors = {(str(Path(f.path).relative_to(corpus)), f.rule) for f in findings
              if f.severity is Severity.ERROR}
    assert errors == {(CORPUS_FINDINGS[0][0], "SCP101"), (CORPUS_FINDINGS[2][0], "MDM104")}
