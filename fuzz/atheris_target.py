"""The atheris (libFuzzer) target: every input through fuzz.harness.run.

    python fuzz/atheris_target.py CORPUS_DIR SEED_DIR -timeout=2 -rss_limit_mb=300 ...

A Crash (an uncaught exception in a stage, a rule's internal error) is a libFuzzer
crash: the input is saved under -artifact_prefix. fuzz/run gives the usual flags.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["profilesmith", "fuzz"]):
    from fuzz import harness

    # import the rules, reporters and writers now, inside the instrumented block
    for seed in harness.seeds()[:50]:
        try:
            harness.run(seed.read_bytes())
        except harness.Crash:
            pass


def test_one_input(data: bytes) -> None:
    harness.run(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
