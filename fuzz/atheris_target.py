"""The atheris (libFuzzer) target: every input through fuzz.harness.run.

    FUZZ_CRASHES=DIR python fuzz/atheris_target.py CORPUS_DIR SEED_DIR -timeout=2 \
        -rss_limit_mb=300 ...

A Crash (an uncaught exception in a stage, a rule's internal error) is saved under
$FUZZ_CRASHES, the first input of each kind only (stage, exception, message without
its numbers), as ``<kind>.bin`` with ``<kind>.txt`` saying what happened, and the run
goes on: one run reports every kind of crash it meets. Without FUZZ_CRASHES a Crash
stops the run as libFuzzer crashes do. Timeouts (-timeout) and memory (-rss_limit_mb)
stop it, the input saved under -artifact_prefix. fuzz/run gives the usual flags.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["profilesmith", "fuzz"]):
    from fuzz import harness

    # import the rules, reporters and writers now, inside the instrumented block
    for seed in harness.seeds()[:50]:
        with contextlib.suppress(harness.Crash):
            harness.run(seed.read_bytes())


CRASHES = os.environ.get("FUZZ_CRASHES")
_seen: set[str] = set()


def test_one_input(data: bytes) -> None:
    if CRASHES is None:
        harness.run(data)
        return
    for crash in harness.failures(data):
        _save(crash, data)


def _save(exc: harness.Crash, data: bytes) -> None:
    text = str(exc).splitlines()[0][:200]
    kind = hashlib.sha1(re.sub(r"\d+", "N", text[:90]).encode()).hexdigest()[:12]
    if kind in _seen:
        return
    _seen.add(kind)
    directory = Path(CRASHES)  # type: ignore[arg-type]
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{exc.stage}-{kind}"
    if not (directory / f"{stem}.bin").exists():
        (directory / f"{stem}.bin").write_bytes(data)
        (directory / f"{stem}.txt").write_text(text + "\n")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
