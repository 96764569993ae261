"""The fuzz harness (docs/fuzzing.md): not part of the installed package."""
