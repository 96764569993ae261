"""CMS (PKCS#7): signing identities (``signer``), SignedData output and batch signing
(``batch``, given a linter by its caller), parsing SignedData (``signed``), trust anchors
and chains (``chain``), verification (``verify``, ``verify_report``) and EnvelopedData
encryption of PayloadContent (``envelope``).

May import: profilesmith.plist, profilesmith.base; asn1crypto and cryptography inside the
modules that need them, so that importing this package stays free.
"""
