"""Small enrollment profiles for the MDM, SCEP, CRT and SEC rule tests.

Layout (so tests can name lines): ``profile(*payloads)`` puts ``<dict>...<array>`` on
line 4 and each payload after it; ``payload(type, uuid, *lines)`` writes ``<dict>`` on
its first line, then one line per item of ``lines``, then one line with the common keys
and ``</dict>``. A payload with n lines therefore takes n + 2 lines: the first payload's
k-th line (1-based) is line 5 + k, the second payload starts on line 5 + n1 + 2.
"""

from __future__ import annotations

import base64
from pathlib import Path

from tests.conftest import FIXTURES, plist

CERTS = FIXTURES / "certs"
SCEP_UUID = "3D0C7A52-9B1E-4F6A-8C2D-000000000001"
MDM_UUID = "3D0C7A52-9B1E-4F6A-8C2D-000000000002"
OTHER_UUID = "3D0C7A52-9B1E-4F6A-8C2D-000000000003"
TOPIC = "com.apple.mgmt.External.5b1f0c52-7d3e-4a8b-9c61-2e4f8a0b7d13"


def payload(payload_type: str, uuid: str, *lines: str) -> str:
    common = (f"<key>PayloadIdentifier</key><string>test.{uuid[-4:]}</string>"
              f"<key>PayloadType</key><string>{payload_type}</string>"
              f"<key>PayloadUUID</key><string>{uuid}</string>"
              "<key>PayloadVersion</key><integer>1</integer></dict>")
    return "\n".join(["<dict>", *lines, common])


def profile(*payloads: str) -> bytes:
    return plist(
        "<dict><key>PayloadContent</key><array>\n"
        + "\n".join(payloads)
        + "\n</array><key>PayloadIdentifier</key><string>test.profile</string>"
        "<key>PayloadType</key><string>Configuration</string>"
        "<key>PayloadUUID</key><string>3D0C7A52-9B1E-4F6A-8C2D-0000000000FF</string>"
        "<key>PayloadVersion</key><integer>1</integer></dict>"
    )


def scep(*settings: str, uuid: str = SCEP_UUID) -> str:
    """A SCEP payload: its settings one per line, from line 7 when it comes first."""
    return payload("com.apple.security.scep", uuid, "<key>PayloadContent</key><dict>",
                   *settings, "</dict>")


GOOD_SCEP = ("<key>URL</key><string>https://scep.corp.test/scep</string>",
             "<key>Keysize</key><integer>2048</integer>")


def good_scep(*more: str, uuid: str = SCEP_UUID) -> str:
    return scep(*GOOD_SCEP, *more, uuid=uuid)


MDM_KEYS = {
    "IdentityCertificateUUID": f"<string>{SCEP_UUID}</string>",
    "ServerURL": "<string>https://mdm.corp.test/mdm</string>",
    "Topic": f"<string>{TOPIC}</string>",
    "AccessRights": "<integer>8191</integer>",
}


def mdm(*, drop: tuple[str, ...] = (), uuid: str = MDM_UUID, **changes: str) -> str:
    """An MDM payload, one key per line in MDM_KEYS order, then the changed/added keys.

    After a good_scep() payload (6 lines: 5 ... 10) it starts on line 11, so its keys are
    on lines 12 (IdentityCertificateUUID), 13 (ServerURL), 14 (Topic), 15 (AccessRights),
    then any added keys.
    """
    keys = {**MDM_KEYS, **changes}
    lines = [f"<key>{k}</key>{v}" for k, v in keys.items() if k not in drop]
    return payload("com.apple.mdm", uuid, *lines)


def enrollment(*, drop: tuple[str, ...] = (), **changes: str) -> bytes:
    return profile(good_scep(), mdm(drop=drop, **changes))


def data_of(name: str) -> bytes:
    return (CERTS / name).read_bytes()


def data_element(data: bytes) -> str:
    return f"<data>{base64.b64encode(data).decode()}</data>"


def certificate_payload(payload_type: str, data: bytes, *more: str,
                        uuid: str = OTHER_UUID) -> str:
    """A certificate payload whose <data> is on its first content line."""
    return payload(payload_type, uuid, f"<key>PayloadContent</key>{data_element(data)}", *more)


def fixture(path: str) -> Path:
    return FIXTURES / path
