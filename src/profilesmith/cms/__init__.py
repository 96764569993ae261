"""CMS (PKCS#7) support: reading signed profiles, signing, verifying, encrypting.

Submodules import asn1crypto / cryptography themselves so that importing this package
stays free.
"""
