"""The package version (hatch reads it from here; ``profilesmith.__version__`` re-exports it,
and modules below the API import it from here rather than from the top package, which
re-exports the API)."""

__version__ = "0.1.0"
