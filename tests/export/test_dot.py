"""The dot export: Graphviz accepts it, names come out right, thresholds prune."""

from __future__ import annotations

import io
import marshal
import shutil
import subprocess
from pathlib import Path

import gprof2dot
import pytest

from tuiprof.export.dot import (
    build_graph,
    graph_title,
    node_name,
    prune_weight,
    write_dot,
    write_graph,
)
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

    (fib,) = graph.functions.values()
    assert fib[gprof2dot.TIME_RATIO] == pytest.approx(profile.tottime[fids[0]] / profile.total_time)


@pytest.mark.parametrize("name", ["taylor", "particles", "bottlenecks"])
@needs_dot
def test_sample_profiles(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "sample_profiles" / f"{name}.prof"
    if not path.exists():
        pytest.skip("no sample profile")
    graphviz_accepts(dot_text(load_profile([str(path)])))


# -- pruning while building --------------------------------------------------------

THRESHOLDS = [(0.0, 0.0), (0.5, 0.1), (1.0, 0.0), (5.0, 1.0), (20.0, 20.0), (100.0, 100.0)]


def pruned_after_building_everything(
    profile: Profile, fids: list[int] | None, node_threshold: float, edge_threshold: float
) -> gprof2dot.Profile:
    """What gprof2dot's own prune makes of the whole graph (no pruning while building)."""
    graph = build_graph(profile, fids)
    graph.prune(node_threshold / 100.0, edge_threshold / 100.0, None, False)
    return graph


def graph_shape(graph: gprof2dot.Profile) -> dict[int, dict[int, tuple[float, float]]]:
    return {
        fid: {
            callee: (call[gprof2dot.CALLS], call[gprof2dot.TOTAL_TIME_RATIO])
            for callee, call in function.calls.items()
        }
        for fid, function in graph.functions.items()
    }


def check_pruning_while_building(profile: Profile, fids: list[int] | None = None) -> None:
    for node_threshold, edge_threshold in THRESHOLDS:
        expected = pruned_after_building_everything(profile, fids, node_threshold, edge_threshold)
        built = build_graph(
            profile, fids, node_threshold=node_threshold, edge_threshold=edge_threshold
        )
        assert graph_shape(built) == graph_shape(expected), (node_threshold, edge_threshold)
        assert built[gprof2dot.TOTAL_TIME] == expected[gprof2dot.TOTAL_TIME]
        reference = io.StringIO()
        write_graph(expected, reference, graph_title(profile, None))
        out = io.StringIO()
        write_dot(profile, out, fids, node_threshold=node_threshold, edge_threshold=edge_threshold)
        assert out.getvalue() == reference.getvalue(), (node_threshold, edge_threshold)


def test_pruning_while_building_changes_nothing(
    generated_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = load_profile([str(generated_file)])
    check_pruning_while_building(profile)
    hottest = max(range(len(profile)), key=profile.cumtime.__getitem__)
    check_pruning_while_building(profile, subtree(profile, [hottest]))
    check_pruning_while_building(profile, list(range(0, len(profile), 3)))


@pytest.mark.parametrize("fixture", ["cprofile_file", "pure_profile_file", "nasty_file"])
def test_pruning_while_building_on_real_runs(
    fixture: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = load_profile([str(request.getfixturevalue(fixture))])
    check_pruning_while_building(profile)


@pytest.mark.parametrize("name", ["taylor", "particles", "bottlenecks"])
def test_pruning_while_building_on_samples(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "sample_profiles" / f"{name}.prof"
    if not path.exists():
        pytest.skip("no sample profile")
    profile = load_profile([str(path)])
    check_pruning_while_building(profile)
    check_pruning_while_building(profile, subtree(profile, profile.roots()[:1]))


def test_pruning_while_building_builds_less(generated_file: Path) -> None:
    profile = load_profile([str(generated_file)])
    everything = build_graph(profile)
    pruned = build_graph(profile, node_threshold=20.0, edge_threshold=10.0)
    assert len(pruned.functions) < len(everything.functions)


@pytest.mark.parametrize(
    ("time", "largest"),
    [(0.0, 0.0), (1.0, 0.0), (-1.0, 0.0), (-1.0, 2.0), (3.0, 2.0), (1.0, 3.0), (2.0, 2.0), (5, 7)],
)
def test_prune_weight_is_the_labels_ratio(time: float, largest: float) -> None:
    # Not gprof2dot's clamped ratio: the label must read what the table reads.
    assert prune_weight(time, largest) == (time / largest if largest > 0 else 0.0)


def test_pruning_at_exactly_the_threshold(tmp_path: Path) -> None:
    # gprof2dot keeps what is at the threshold and drops what is below it.
    main = ("/src/app.py", 1, "main")
    at, below = ("/src/app.py", 10, "at"), ("/src/app.py", 20, "below")
    stats = {
        main: (1, 1, 9.1, 10.0, {}),
        at: (1, 1, 0.5, 0.5, {main: (1, 1, 0.5, 0.5)}),  # 5 % of the total
        below: (1, 1, 0.4, 0.4999, {main: (1, 1, 0.4, 0.4999), at: (1, 1, 0.1, 0.1)}),
    }
    path = tmp_path / "edges.prof"
    path.write_bytes(marshal.dumps(stats))
    profile = load_profile([str(path)])
    check_pruning_while_building(profile)
    for edge_threshold in (1.0, 5.0):  # the call at → below is exactly 1 %
        built = build_graph(profile, node_threshold=4.999, edge_threshold=edge_threshold)
        expected = pruned_after_building_everything(profile, None, 4.999, edge_threshold)
        assert graph_shape(built) == graph_shape(expected)
    shape = graph_shape(build_graph(profile, node_threshold=5.0, edge_threshold=1.0))
    assert set(shape) == {profile.find(main), profile.find(at)}
    assert set(shape[profile.find(main)]) == {profile.find(at)}
