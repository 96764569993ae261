#!/usr/bin/env python3
"""Save or compare the lint reports of a corpus, to show a change alters no finding.

    python scripts/corpus_report.py --save DIR      [CORPUS]
    python scripts/corpus_report.py --compare DIR   [CORPUS]

CORPUS defaults to the real-world corpus (``$PROFILESMITH_SHARED/corpus/real-world``, else
``../shared/corpus/real-world`` beside the repository). The reports are those of
``profilesmith lint`` with a fixed clock (``--now``, so certificate findings do not move
with the date), serially (``--jobs 1``): JSON, text and SARIF, and JSON again with
``--platform macos --platform ios``. ``--compare`` exits 1 and shows the first differing
lines when any report differs from the saved one.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-12-02"
REPORTS = {
    "plain.json": ["--format", "json"],
    "plain.txt": ["--format", "text"],
    "plain.sarif": ["--format", "sarif"],
    "platforms.json": ["--format", "json", "--platform", "macos", "--platform", "ios"],
}


def default_corpus() -> Path:
    shared = os.environ.get("PROFILESMITH_SHARED")
    base = Path(shared) if shared else REPO.parent / "shared"
    return base / "corpus" / "real-world"


def report(corpus: Path, options: list[str]) -> bytes:
    command = [sys.executable, "-m", "profilesmith", "lint", "--jobs", "1", "--now", NOW,
               *options, str(corpus)]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"lint exited {done.returncode}: {done.stderr.decode()[:500]}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, metavar="DIR")
    action.add_argument("--compare", type=Path, metavar="DIR")
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    args = parser.parse_args()
    corpus = args.corpus or default_corpus()
    if not corpus.is_dir():
        raise SystemExit(f"{corpus}: no such corpus (set PROFILESMITH_SHARED)")
    different = 0
    for name, options in REPORTS.items():
        data = report(corpus, options)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / name).write_bytes(data)
            print(f"saved {name} ({len(data)} bytes)")
            continue
        saved = (args.compare / name).read_bytes()
        if saved == data:
            print(f"same: {name}")
            continue
        different += 1
        print(f"DIFFERENT: {name}")
        lines = difflib.unified_diff(saved.decode().splitlines(), data.decode().splitlines(),
                                     "saved", "now", lineterm="", n=1)
        for line in list(lines)[:20]:
            print(f"  {line}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
