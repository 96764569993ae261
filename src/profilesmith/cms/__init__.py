"""CMS (PKCS#7): signing identities (``signer``), SignedData output and batch signing
(``batch``, given a linter by its caller), parsing SignedData (``signed``; its signed
attributes: ``attributes``), what a certificate can be asked (``certfacts``), one
SignerInfo's signature (``signature``), trust anchors and chains (``chain``), verification
(``verify``, ``verify_report``; the policy: docs/verification.md) and EnvelopedData
encryption of PayloadContent (``envelope``).

May import: profilesmith.plist, profilesmith.base; asn1crypto and cryptography inside the
modules that need them, so that importing this package stays free.
"""
