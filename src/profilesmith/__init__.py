"""profilesmith: author, lint, sign and verify Apple configuration profiles."""

__version__ = "0.1.0"
