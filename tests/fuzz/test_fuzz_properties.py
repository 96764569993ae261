"""The fuzz harness's properties in the normal suite: every stage (read, lint, every
reporter, verify, convert, format) answers in its own words for hostile input.

Quick by default; ``PROFILESMITH_FUZZ=long`` (fuzz/run without atheris) runs many more
examples. Each example must finish within 2 s and keep the process under 300 MB more.
"""

from __future__ import annotations

import os
import plistlib
import resource
from pathlib import Path

import pytest
from fuzz.strategies import bplists, encode_bplist, signed_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import harness
from tests.conftest import FIXTURES

settings.register_profile("quick", max_examples=15, deadline=2000, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=2000,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile(os.environ.get("PROFILESMITH_FUZZ", "quick"))
RSS_LIMIT_KB = 300 * 1024

SEEDS = harness.seeds()
CERTS = [p.read_bytes() for p in sorted((FIXTURES / "certs").glob("*.der"))]
PROFILES = [p.read_bytes() for p in SEEDS if p.suffix == ".mobileconfig"][:40]


def run_bounded(data: bytes) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    harness.run_limited(data)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < RSS_LIMIT_KB, f"{grown} KB more for one input"


def test_the_seed_corpus_runs_clean() -> None:
    assert len(SEEDS) > 300  # the fixtures are there
    for path in SEEDS:
        harness.run_limited(path.read_bytes())


FOUND = sorted((FIXTURES / "fuzz" / "found").glob("*.bin"))


@pytest.mark.parametrize("path", FOUND, ids=[p.stem for p in FOUND])
def test_every_input_that_once_crashed_runs_clean(path: Path) -> None:
    # each raised an uncaught exception, an internal error or ran out of time in some stage
    run_bounded(path.read_bytes())


def test_the_crashes_found_are_all_kept() -> None:
    listed = {line.split("|")[1].strip() for line in
              (FIXTURES / "fuzz" / "found" / "README.md").read_text().splitlines()
              if line.startswith("| ") and ".bin" in line}
    assert listed == {p.name for p in FOUND}
    assert len(FOUND) >= 80


def test_a_shared_object_dag_is_read_once() -> None:
    # 40 arrays each holding the next one twice: 2**40 paths through 41 objects
    objects: list[tuple[str, object]] = [("array", [i + 1, i + 1]) for i in range(40)]
    objects.append(("ascii", "leaf"))
    run_bounded(encode_bplist(objects))


def test_encode_bplist_writes_what_plistlib_reads() -> None:
    objects = [("dict", ([1, 3], [2, 4])), ("ascii", "PayloadType"), ("ascii", "Configuration"),
               ("ascii", "List"), ("array", [5, 5]), ("int", 7)]
    assert plistlib.loads(encode_bplist(objects)) == {"PayloadType": "Configuration",
                                                      "List": [7, 7]}


@settings(PROFILE)
@given(bplists())
def test_binary_plist_dags(data: bytes) -> None:
    run_bounded(data)


@settings(PROFILE)
@given(bplists(cycles=True))
def test_binary_plists_with_cycles(data: bytes) -> None:
    run_bounded(data)


CONTENTS = st.one_of(st.sampled_from(PROFILES), st.binary(max_size=128), bplists())
CERTIFICATES = st.one_of(st.sampled_from(CERTS),
                         st.sampled_from(CERTS).flatmap(
                             lambda der: st.integers(1, len(der)).map(lambda n: der[:n])),
                         st.binary(max_size=64))


@settings(PROFILE)
@given(signed_data(CONTENTS, CERTIFICATES))
def test_cms_signed_data(data: bytes) -> None:
    run_bounded(data)


@settings(PROFILE)
@given(st.sampled_from(PROFILES), st.lists(st.tuples(st.integers(0, 10**6),
                                                      st.integers(0, 255)), max_size=4))
def test_mutated_fixtures(seed: bytes, flips: list[tuple[int, int]]) -> None:
    data = bytearray(seed)
    for at, byte in flips:
        data[at % len(data)] = byte
    run_bounded(bytes(data))
