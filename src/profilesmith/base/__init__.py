"""The vocabulary every layer shares: Finding, Severity and Hit (findings), JSON Pointers
(pointers), Apple's platform names (platforms), the bundled data files (resources), bounded
reads and atomic writes (files), ``--set`` assignments (assignments), forked worker pools
(forked), lazily compiled regular expressions (lazyre), the key names that hold secrets
(secrets), message helpers (text), ASN.1 libraries' errors in our words (asn1text) and the
package version (version).

Imports nothing else of profilesmith; only the standard library.
"""
