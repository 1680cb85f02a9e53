"""The dot export: Graphviz accepts it, names come out right, thresholds prune."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tuiprof.export.dot import build_graph, node_name, write_dot
from tuiprof.export.scope import find_roots, subtree
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")


def dot_text(profile: Profile, **options: float) -> str:
    out = io.StringIO()
    write_dot(profile, out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def graphviz_accepts(text: str) -> str:
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout
    return done.stdout


@needs_dot
def test_graphviz_accepts_a_cprofile_graph(cprofile_file: Path) -> None:
    text = dot_text(load_profile([str(cprofile_file)]), node_threshold=0, edge_threshold=0)
    svg = graphviz_accepts(text)
    assert "fib" in svg and "&lt;lambda&gt;" in svg


@needs_dot
def test_graphviz_accepts_nasty_names(nasty_file: Path) -> None:
    profile = load_profile([str(nasty_file)])
    text = dot_text(profile, node_threshold=0, edge_threshold=0)
    assert "\x00" not in text and "\r" not in text
    svg = graphviz_accepts(text)
    assert "&lt;module&gt;" in svg
    assert "say &quot;hi&quot;" in svg
    assert "back\\slash" in svg
    assert "new\\nline" in svg  # the newline shown as an escape, one label line


@needs_dot
def test_graphviz_accepts_pure_profile_graph(pure_profile_file: Path) -> None:
    graphviz_accepts(dot_text(load_profile([str(pure_profile_file)])))


def test_node_names() -> None:
    assert node_name(("/src/app/work.py", 3, "<lambda>")) == "work:3:<lambda>"
    assert node_name(("~", 0, "<built-in method builtins.len>")) == "<built-in method builtins.len>"
    assert node_name(("/x.py", 1, "a\nb")) == "x:1:a\\nb"


def test_thresholds_prune_nodes(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    everything = dot_text(profile, node_threshold=0, edge_threshold=0)
    pruned = dot_text(profile, node_threshold=20, edge_threshold=20)
    assert everything.count("label=") > pruned.count("label=") > 0


def test_percentages_are_of_the_whole_profile(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    fids = subtree(profile, find_roots(profile, "fib"))
    graph = build_graph(profile, fids)
    import gprof2dot

    (fib,) = graph.functions.values()
    assert fib[gprof2dot.TIME_RATIO] == pytest.approx(profile.tottime[fids[0]] / profile.total_time)


@pytest.mark.parametrize("name", ["taylor", "particles", "bottlenecks"])
@needs_dot
def test_sample_profiles(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "sample_profiles" / f"{name}.prof"
    if not path.exists():
        pytest.skip("no sample profile")
    graphviz_accepts(dot_text(load_profile([str(path)])))
