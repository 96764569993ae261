"""SEC: credentials written into a profile in clear, so that CI catches them before they
are committed. All warnings (profiles legitimately carry some of these); a repository
that must hold none escalates them in its configuration, rule by rule::

    [tool.profilesmith.severity]
    SEC101 = "error"
    SEC103 = "error"

No message ever contains the secret, not even part of it: findings name the key only.
An empty value, a variable for some tool to fill in ($CHALLENGE, ${CHALLENGE},
{{ challenge }}, %Challenge%) or a placeholder (CHANGEME, ...-HERE) is not a secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.mdm import placeholders
from profilesmith.mdm.payload_types import CERTIFICATE_TYPES, PKCS12
from profilesmith.plist.document import Payload

WIFI_TYPES = frozenset({
    "com.apple.wifi.managed",
    "com.apple.firstethernet.managed", "com.apple.secondethernet.managed",
    "com.apple.thirdethernet.managed", "com.apple.firstactiveethernet.managed",
    "com.apple.secondactiveethernet.managed", "com.apple.thirdactiveethernet.managed",
    "com.apple.globalethernet.managed",
})
VPN_TYPES = frozenset({"com.apple.vpn.managed", "com.apple.vpn.managed.applayer"})
EXCHANGE_TYPES = frozenset({"com.apple.eas.account", "com.apple.ews.account"})

Path = tuple[str, ...]


def _committed(payload: Payload, paths: Iterable[tuple[Path, str]],
               *, message: str = "{what} is stored in clear in the profile (its value is "
               "not shown); anyone who can read the file can use it") -> Iterator[Hit]:
    """A Hit for each path holding a real secret (``what`` names it in the message)."""
    for path, what in paths:
        value: Any = payload.value
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            committed = not placeholders.is_unset(value)
        else:
            committed = isinstance(value, bytes) and bool(value)
        if committed:
            yield Hit(payload.at(*path), message.format(what=what))


@rule("SEC101", Severity.WARNING, scope="payload", payload_types={"com.apple.security.scep"})
def scep_challenge(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A SCEP Challenge is stored in clear.

    The challenge authorizes certificate requests: with it, anyone can get a
    certificate from your CA. Prefer per-device dynamic challenges, or inject it at
    build time (``profilesmith build --set-env scep.challenge=VAR``) and keep built
    profiles out of the repository.

    Fails:   <key>Challenge</key><string>(a real challenge)</string>
    Passes:  <key>Challenge</key><string>$SCEP_CHALLENGE</string>, or no Challenge
    """
    yield from _committed(payload, [(("PayloadContent", "Challenge"), "the SCEP Challenge")])


@rule("SEC102", Severity.WARNING, scope="payload", payload_types={PKCS12})
def pkcs12_password(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A PKCS#12 payload carries the Password that opens its bundle.

    Bundle and password side by side make the private key readable by anyone with the
    file. Leave Password out (the device asks for it) or deliver identities by SCEP or
    ACME.

    Fails:   <key>Password</key><string>(the bundle's password)</string>
    Passes:  no Password key
    """
    yield from _committed(payload, [(("Password",), "the PKCS#12 Password")])


@rule("SEC103", Severity.WARNING, scope="payload",
      payload_types={PKCS12, "com.apple.eas.account", *CERTIFICATE_TYPES})
def private_key(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A private key is committed: a PKCS#12 bundle, or PEM key text, inside the profile.

    A PKCS#12 payload (or an Exchange payload's Certificate) holds an identity's private
    key, protected at most by a password that brute force can find offline; PEM text
    with a PRIVATE KEY block in a certificate payload is not even encrypted. Deliver
    identities by SCEP or ACME where possible.

    Fails:   a com.apple.security.pkcs12 payload
    Passes:  a com.apple.security.scep payload in its place
    """
    bundle = ("the profile holds a private key ({what}); anyone who can read the file can "
              "try its password offline")
    if payload.type == PKCS12:
        yield from _committed(payload, [(("PayloadContent",), "a PKCS#12 bundle")],
                              message=bundle)
    elif payload.type == "com.apple.eas.account":
        yield from _committed(payload, [(("Certificate",), "the account's PKCS#12 identity")],
                              message=bundle)
    else:
        data = payload.value.get("PayloadContent")
        if isinstance(data, bytes) and b"PRIVATE KEY-----" in data:
            yield Hit(payload.at("PayloadContent"), "the profile holds an unencrypted private "
                      "key (a PEM PRIVATE KEY block; its value is not shown)")


@rule("SEC104", Severity.WARNING, scope="payload", payload_types=WIFI_TYPES)
def network_password(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A Wi-Fi (or Ethernet) password, EAP password or proxy password is stored in clear.

    Covers Password (the network's pre-shared key), EAPClientConfiguration/UserPassword
    and ProxyPassword. Leave EAP passwords out (the device asks) or use certificates.

    Fails:   <key>Password</key><string>(a WPA2 passphrase)</string>
    Passes:  EAP-TLS with a certificate, no Password key
    """
    yield from _committed(payload, [
        (("Password",), "the network Password"),
        (("EAPClientConfiguration", "UserPassword"), "the EAP UserPassword"),
        (("ProxyPassword",), "the ProxyPassword"),
    ])


_VPN_SECRETS: tuple[tuple[Path, str], ...] = (
    (("VPN", "Password"), "the VPN Password"),
    (("PPP", "AuthPassword"), "the PPP AuthPassword"),
    (("IPSec", "XAuthPassword"), "the IPSec XAuthPassword"),
    (("IPSec", "SharedSecret"), "the IPSec SharedSecret"),
    (("IKEv2", "Password"), "the IKEv2 Password"),
    (("IKEv2", "AuthPassword"), "the IKEv2 AuthPassword"),
    (("IKEv2", "SharedSecret"), "the IKEv2 SharedSecret"),
    (("TransparentProxy", "Password"), "the TransparentProxy Password"),
    (("Proxies", "HTTPProxyPassword"), "the HTTPProxyPassword"),
)


@rule("SEC105", Severity.WARNING, scope="payload", payload_types=VPN_TYPES)
def vpn_secret(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A VPN password or shared secret is stored in clear.

    Covers the VPN, PPP, IPSec, IKEv2 and TransparentProxy passwords and shared
    secrets, and the proxy password. A shared secret opens the VPN to anyone holding
    the file; prefer certificate authentication.

    Fails:   <key>IPSec</key><dict><key>SharedSecret</key><data>(a secret)</data></dict>
    Passes:  <key>AuthenticationMethod</key><string>Certificate</string>, no secret
    """
    yield from _committed(payload, _VPN_SECRETS)


@rule("SEC106", Severity.WARNING, scope="payload", payload_types=EXCHANGE_TYPES)
def exchange_password(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """An Exchange account password (or its certificate's password) is stored in clear.

    Covers Password of com.apple.eas.account and com.apple.ews.account, and
    CertificatePassword. Leave them out: the device asks the user.

    Fails:   <key>Password</key><string>(the user's password)</string>
    Passes:  no Password key
    """
    yield from _committed(payload, [
        (("Password",), "the Exchange Password"),
        (("CertificatePassword",), "the Exchange CertificatePassword"),
    ])


@rule("SEC107", Severity.WARNING, scope="payload",
      payload_types={"com.apple.profileRemovalPassword"})
def removal_password(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """The profile removal password is stored in clear.

    Whoever reads the file can remove the profile from devices. Keep profiles holding
    it out of the repository, or set it from a secret at build time.

    Fails:   <key>RemovalPassword</key><string>(a password)</string>
    Passes:  <key>RemovalPassword</key><string>{{ removal_password }}</string>
    """
    yield from _committed(payload, [(("RemovalPassword",), "the profile RemovalPassword")])
