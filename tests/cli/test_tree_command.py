"""``tuiprof tree``: the call tree as text and JSON, with the explorer's roots and marks."""

from __future__ import annotations

import json
import marshal
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_loaders_bad_input import BAD_INPUTS, _with_timeout, assert_refused
from tests.model.real_runs import record, write_scripts
from tuiprof.cli import main
from tuiprof.model.loaders import load_profile

NODE_FIELDS = [
    "file",
    "line",
    "name",
    "calls",
    "tottime",
    "cumtime",
    "estimated",
    "recursive",
    "children",
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tree")
    write_scripts(folder)
    return {name: record(folder, name) for name in ("app", "fib", "shared")}


def tree_out(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["tree", *args]) == 0
    return capsys.readouterr().out


def walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node["children"])
    return found


def test_json_shape(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(tree_out([str(runs["app"]), "--json"], capsys))
    assert list(document) == ["total_time", "roots"]
    first = document["roots"][0]
    assert first["name"] == "<built-in method builtins.exec>" and first["calls"] == 1
    assert first["cumtime"] >= 0.9 * document["total_time"]
    for node in walk(document["roots"]):
        assert list(node) == NODE_FIELDS
        assert isinstance(node["estimated"], bool) and isinstance(node["recursive"], bool)
        if not node["estimated"]:
            assert isinstance(node["calls"], int)
        assert not (node["recursive"] and node["children"])
    names = {node["name"] for node in walk(document["roots"])}
    assert {"<module>", "main", "crunch", "square"} <= names  # the hot path, never folded


def test_depth_and_min_percent(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(runs["app"]), "--json", "--depth", "2", "--min-percent", "0"]
    document = json.loads(tree_out(args, capsys))

    def depth(nodes: list[dict[str, Any]], level: int = 0) -> int:
        return max((depth(n["children"], level + 1) for n in nodes), default=level - 1)

    assert depth(document["roots"]) == 2
    folded = json.loads(tree_out([str(runs["app"]), "--json", "--min-percent", "100"], capsys))
    everything = json.loads(tree_out([str(runs["app"]), "--json", "--min-percent", "0"], capsys))
    assert len(walk(folded["roots"])) < len(walk(everything["roots"]))


def test_text_marks_and_folds(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out = tree_out([str(runs["fib"]), "--min-percent", "0"], capsys)
    fib_lines = [line for line in out.splitlines() if "fib" in line]
    assert any("↻ fib" in line for line in fib_lines)
    assert not any("~" in line for line in fib_lines)  # fib holds all of itself
    shared = tree_out([str(runs["shared"]), "--min-percent", "0"], capsys)
    assert any("~" in line and "leaf" in line for line in shared.splitlines())
    folded = tree_out([str(runs["app"])], capsys)
    assert any(line.strip().startswith("… ") and "more" in line for line in folded.splitlines())


def test_root_starts_at_a_function(
    runs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(runs["app"]), "--json", "--root", "report", "--min-percent", "0"]
    document = json.loads(tree_out(args, capsys))
    [top] = document["roots"]
    assert top["name"] == "report" and not top["estimated"]
    names = {node["name"] for node in walk([top])}
    assert "render" in names and "main" not in names and "crunch" not in names


def test_root_prefers_an_exact_name_as_the_export_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``get`` names the function ``get``, not the bigger ``get_all`` it is a prefix of."""
    main_key, get, get_all = ("m.py", 1, "main"), ("m.py", 5, "get"), ("m.py", 9, "get_all")
    stats = {
        main_key: (1, 1, 0.1, 3.1, {}),
        get: (1, 1, 1.0, 1.0, {main_key: (1, 1, 1.0, 1.0)}),
        get_all: (1, 1, 2.0, 2.0, {main_key: (1, 1, 2.0, 2.0)}),
    }
    path = tmp_path / "names.prof"
    path.write_bytes(marshal.dumps(stats))
    document = json.loads(tree_out([str(path), "--json", "--root", "get"], capsys))
    assert [top["name"] for top in document["roots"]] == ["get"]
    document = json.loads(tree_out([str(path), "--json", "--root", "get_"], capsys))
    assert [top["name"] for top in document["roots"]] == ["get_all"]  # a filter


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["tree"], "--root"),
        (["export", "-f", "dot"], "--root"),
        (["export", "-f", "dot"], "--filter"),
    ],
)
def test_a_bad_regular_expression_names_its_option(
    runs: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    option: str,
) -> None:
    out = ["-o", str(tmp_path / "x.dot")] if command[0] == "export" else []
    assert main([*command, str(runs["app"]), *out, option, "["]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"tuiprof: {option}: bad regular expression")
    assert captured.err.count("\n") == 1 and not (tmp_path / "x.dot").exists()


def test_a_root_that_matches_nothing_is_one_line(
    runs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tree", str(runs["app"]), "--root", "no_such_function"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "no_such_function" in captured.err


@pytest.mark.parametrize("text", ["", " "])
def test_an_empty_root_is_refused_as_the_export_refuses_it(
    runs: dict[str, Path], text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # An empty --root printed the whole tree (the text was taken for no option).
    assert main(["tree", str(runs["app"]), "--root", text]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "tuiprof: --root: empty function name\n"


@pytest.mark.parametrize("args", [["--depth", "0"], ["--min-percent", "-1"], ["--depth", "x"]])
def test_bad_options_exit_2(
    runs: dict[str, Path], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tree", str(runs["app"]), *args]) == 2


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_as_for_stats(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = BAD_INPUTS[case]
    path = make(tmp_path)
    status = _with_timeout(lambda: main(["tree", str(path)]))
    captured = capsys.readouterr()
    assert_refused(status, captured.out, captured.err, path, expected)


def test_a_chain_100000_deep_is_written_without_recursion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    n = 100_000
    keys = [("/c.py", i + 1, f"f{i}") for i in range(n)]
    stats: dict[Any, Any] = {keys[0]: (1, 1, 1.0, float(n), {})}
    for i in range(1, n):
        stats[keys[i]] = (1, 1, 1.0, float(n - i), {keys[i - 1]: (1, 1, 1.0, float(n - i))})
    path = tmp_path / "chain.prof"
    path.write_bytes(marshal.dumps(stats))
    out = tree_out([str(path), "--json", "--depth", str(n)], capsys)
    assert out.count('"name"') == n
    assert out.count("[") == out.count("]") == n + 1
    assert out.endswith("]}" * n + "]}\n")


def test_line_data_alone_makes_each_function_a_root_of_its_own(
    samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lprof = str(samples / "particles.lprof")
    profile = load_profile([lprof])
    assert main(["tree", lprof, "--json"]) == 0
    captured = capsys.readouterr()
    roots = json.loads(captured.out)["roots"]
    by_size = sorted(range(len(profile)), key=lambda fid: -profile.cumtime[fid])
    assert [(r["name"], r["cumtime"]) for r in roots] == [
        (profile.keys[fid][2], profile.cumtime[fid]) for fid in by_size
    ]
    assert all(r["children"] == [] and r["calls"] == -1 for r in roots)
    assert "line data only" in captured.err
    assert main(["tree", lprof]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[0] == "?"  # unknown calls, as `stats` shows them
    assert "Simulator.evolve" in lines[2]
    assert main(["tree", lprof, "--root", "nosuch"]) == 2
    assert "--root: no function matches 'nosuch'" in capsys.readouterr().err
