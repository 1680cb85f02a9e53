"""pstats files from Python 2.7 and every Python 3, from cProfile and ``profile``,
load with the numbers the writer's own ``pstats`` holds.

The files are made here where those interpreters exist (pyenv, or on PATH),
and skipped with a reason where they do not; two committed fixtures (Python
2.7's and 3.8's ``profile`` output, ``tests/fixtures/make_fixtures.py``) run
everywhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.model.other_pythons import VERSIONS, find_python, write_profile, writers_pstats
from tuiprof.model import Profile, load_profile, marshal_decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def assert_equals_writers_pstats(profile: Profile, expected: dict[str, Any]) -> None:
    functions = expected["functions"]
    assert len(profile) == len(functions)
    for key, cc, nc, tt, ct, callers in functions:
        fid = profile.find(tuple(key))  # type: ignore[arg-type]
        assert fid >= 0, key
        assert (profile.primitive_calls[fid], profile.ncalls[fid]) == (cc, nc)
        assert (profile.tottime[fid], profile.cumtime[fid]) == (float(tt), float(ct))
        raw = profile.callers_raw[fid]
        assert len(raw) == len(callers)
        for caller, edge in callers:
            got = raw[tuple(caller)]  # type: ignore[index]
            if isinstance(edge, list):
                assert got == (edge[0], edge[1], float(edge[2]), float(edge[3]))
            else:
                assert got == edge
    assert profile.total_time == float(expected["total_tt"])
    assert profile.total_calls == expected["total_calls"]
    assert profile.total_primitive_calls == expected["prim_calls"]


@pytest.mark.parametrize("version", ["2.7", "3.8"])
def test_committed_profile_module_fixtures(version: str) -> None:
    path = FIXTURES / f"profile-py{version}.prof"
    expected = json.loads((FIXTURES / f"profile-py{version}.json").read_text())
    profile = load_profile([str(path)])
    assert_equals_writers_pstats(profile, expected)
    # the pseudo-key holding that Python's code object is named, not refused
    assert ("profile", 0, "<module>") in profile.index


@pytest.mark.parametrize("version", ["2.7", "3.8"])
def test_committed_fixtures_through_the_forked_check(
    version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # marshal refuses both (Python 2 codes; another Python's code object):
    # the forked check must hand them to the safe reader, with the same result.
    monkeypatch.setattr(marshal_decode, "SAFE_READER_LIMIT", 0)
    path = FIXTURES / f"profile-py{version}.prof"
    expected = json.loads((FIXTURES / f"profile-py{version}.json").read_text())
    assert_equals_writers_pstats(load_profile([str(path)]), expected)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Any]:
    """Per (version, module): the profile file and its writer's pstats, or why not."""
    out: dict[tuple[str, str], Any] = {}
    for version in VERSIONS:
        python = find_python(version)
        for module in ("cProfile", "profile"):
            if python is None:
                out[version, module] = f"no Python {version} on this machine (pyenv or PATH)"
                continue
            folder = tmp_path_factory.mktemp(f"py{version}-{module}")
            path = write_profile(python, module, folder, "run.prof")
            out[version, module] = (path, writers_pstats(python, path))
    return out


@pytest.mark.parametrize("module", ["cProfile", "profile"])
@pytest.mark.parametrize("version", VERSIONS)
def test_other_pythons_profiles_equal_their_pstats(
    made: dict[tuple[str, str], Any], version: str, module: str
) -> None:
    entry = made[version, module]
    if isinstance(entry, str):
        pytest.skip(entry)
    path, expected = entry
    assert_equals_writers_pstats(load_profile([str(path)]), expected)
