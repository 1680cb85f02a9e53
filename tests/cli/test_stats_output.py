"""``tuiprof stats``: sorting, limit, filter, reverse, JSON values, per-line tables."""

from __future__ import annotations

import io
import json
import marshal
import pstats
import sys
from pathlib import Path
from typing import Any

import line_profiler
import pytest

from tests.model.test_loaders_support import cprofile_file, load_workload, lprof_file, marshal_file
from tuiprof import report
from tuiprof.cli import main
from tuiprof.model.format import format_calls, format_per_call, format_time
from tuiprof.model.loaders import load_profile


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("stats")
    module = load_workload(folder, "workload_stats")
    return {
        "prof": cprofile_file(folder, module, "run.prof", rounds=20),
        "prof2": cprofile_file(folder, module, "run2.prof", rounds=7),
        "lprof": lprof_file(folder, module, "run.lprof"),
    }


def stats_out(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    assert main(["stats", *args]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def table_rows(out: str) -> list[list[str]]:
    """The function table's rows, split on runs of two spaces."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["ncalls", "tottime"])
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append([cell.strip() for cell in line.strip().split("  ") if cell.strip()])
    return rows


def names(rows: list[list[str]]) -> list[str]:
    return [row[-2] if ":" in row[-1] else row[-1] for row in rows]


def pstats_order(path: Path, key: str) -> list[str]:
    stats: dict[Any, Any] = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    column = {"tottime": 2, "cumtime": 3, "ncalls": 1}[key]
    return [k[2] for k, v in sorted(stats.items(), key=lambda kv: -kv[1][column])]


def test_default_is_tottime_descending_limit_30(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = stats_out([str(made["prof"])], capsys)
    rows = table_rows(out)
    stats: dict[Any, Any] = pstats.Stats(str(made["prof"])).stats  # type: ignore[attr-defined]
    assert len(rows) == min(30, len(stats))
    tottimes = [stats[k][2] for k in stats]
    assert sorted(tottimes, reverse=True)[: len(rows)] == sorted(tottimes, reverse=True)[:30]
    assert names(rows)[0] == pstats_order(made["prof"], "tottime")[0]
    assert str(made["prof"]) in out.splitlines()[0]
    assert f"{len(stats)} functions" in out.splitlines()[0]


@pytest.mark.parametrize("key", ["tottime", "cumtime", "ncalls"])
def test_sort_matches_pstats(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str], key: str
) -> None:
    out, _ = stats_out([str(made["prof"]), "--sort", key, "--limit", "3"], capsys)
    stats: dict[Any, Any] = pstats.Stats(str(made["prof"])).stats  # type: ignore[attr-defined]
    column = {"tottime": 2, "cumtime": 3, "ncalls": 1}[key]
    shown = names(table_rows(out))
    assert len(shown) == 3
    by_name = {k[2]: v[column] for k, v in stats.items()}
    values = [by_name[name] for name in shown]
    assert values == sorted(values, reverse=True)
    assert values[0] == max(v[column] for v in stats.values())


def test_reverse_and_name_sort(made: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = stats_out([str(made["prof"]), "--sort", "name", "--limit", "100"], capsys)
    shown = names(table_rows(out))
    assert shown == sorted(shown, key=str.lower)
    out, _ = stats_out([str(made["prof"]), "--sort", "name", "--reverse", "--limit", "100"], capsys)
    assert names(table_rows(out)) == shown[::-1]
    assert "reversed" in out.splitlines()[1]


def test_percall_sorts_by_cumtime_per_primitive_call(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = stats_out([str(made["prof"]), "--sort", "percall", "--limit", "1", "--json"], capsys)
    (top,) = json.loads(out)["functions"]
    stats: dict[Any, Any] = pstats.Stats(str(made["prof"])).stats  # type: ignore[attr-defined]
    best = max(v[3] / v[0] for v in stats.values() if v[0] > 0)
    assert top["cumtime"] / top["primitive_calls"] == best


def test_filter_and_limit(made: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = stats_out([str(made["prof"]), "--filter", "workload_stats fact"], capsys)
    rows = table_rows(out)
    assert names(rows) == ["factorial"]
    assert rows[0][0] == "300/20"  # recursive: nc/cc like pstats
    out, _ = stats_out([str(made["prof"]), "--filter", "workload_stats", "--limit", "2"], capsys)
    assert len(table_rows(out)) == 2
    out, _ = stats_out([str(made["prof"]), "--filter", "no-such-function"], capsys)
    assert table_rows(out) == []
    assert "showing 0 of 0" in out


def check_json_against_pstats(document: dict[str, Any], stats: pstats.Stats) -> None:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    assert document["total_time"] == stats.total_tt  # type: ignore[attr-defined]
    for entry in document["functions"]:
        assert set(entry) >= {"file", "line", "name", "ncalls", "primitive_calls"}
        key = (entry["file"], entry["line"], entry["name"])
        cc, nc, tt, ct, callers = raw[key]
        assert (entry["primitive_calls"], entry["ncalls"], entry["tottime"], entry["cumtime"]) == (
            cc,
            nc,
            tt,
            ct,
        )
        got = {
            (c["file"], c["line"], c["name"]): (
                c["ncalls"],
                c["primitive_calls"],
                c["tottime"],
                c["cumtime"],
            )
            for c in entry["callers"]
        }
        assert got == callers


def test_json_is_all_functions_and_equals_pstats(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = stats_out([str(made["prof"]), "--json"], capsys)
    document = json.loads(out)
    stats = pstats.Stats(str(made["prof"]))
    assert len(document["functions"]) == len(stats.stats)  # type: ignore[attr-defined]
    check_json_against_pstats(document, stats)
    out, _ = stats_out([str(made["prof"]), "--json", "--limit", "2"], capsys)
    assert len(json.loads(out)["functions"]) == 2


def test_json_of_merged_files_equals_pstats(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(made["prof"]), str(made["prof2"])]
    out, _ = stats_out([*paths, "--json"], capsys)
    check_json_against_pstats(json.loads(out), pstats.Stats(*paths))


def test_json_lines_equal_line_profiler(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = stats_out([str(made["prof"]), str(made["lprof"]), "--json"], capsys)
    stats = line_profiler.load_stats(str(made["lprof"]))
    with_lines = [f for f in json.loads(out)["functions"] if "lines" in f]
    assert len(with_lines) == len(stats.timings)
    by_place = {(k[0], k[1]): rows for k, rows in stats.timings.items()}
    for entry in with_lines:
        rows = by_place[(entry["file"], entry["line"])]
        expected = [
            {"line": line, "hits": hits, "time": time * stats.unit}
            for line, hits, time in sorted(rows)
        ]
        assert entry["lines"] == expected


def _blocks(text: str) -> dict[str, list[str]]:
    """Per-line blocks by their 'Function:' line, from 'Line #' to the block's end."""
    blocks: dict[str, list[str]] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Function: "):
            body = []
            for row in lines[i + 2 :]:
                if not row.strip() or row.startswith("Total time"):
                    break
                body.append(row.rstrip())
            blocks[line] = [lines[i - 2], *body]  # with the "Total time" line
    return blocks


def test_per_line_tables_match_python_m_line_profiler(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = stats_out([str(made["lprof"])], capsys)
    stats = line_profiler.load_stats(str(made["lprof"]))
    theirs = io.StringIO()
    line_profiler.show_text(
        stats.timings, stats.unit, output_unit=1e-6, stream=theirs, config=False
    )
    ours_blocks, their_blocks = _blocks(out), _blocks(theirs.getvalue())
    assert set(ours_blocks) == set(their_blocks) and len(ours_blocks) == 3
    for function, block in their_blocks.items():
        assert ours_blocks[function] == block
    assert "café" in out  # the Latin-1 source was decoded by its coding cookie
    assert "Timer unit: 1e-06 s" in out


def test_per_line_table_without_source(tmp_path: Path) -> None:
    from tuiprof.model.profile import FunctionLines, LineTiming

    lines = FunctionLines(
        str(tmp_path / "gone.py"),
        10,
        "work",
        (LineTiming(11, 4, 0.002, 2000.0), LineTiming(13, 1, 0.006, 6000.0)),
        1e-6,
    )
    text = report.line_table(lines)
    assert "source not found" in text[1]
    rows = text[text.index(next(r for r in text if r.startswith("Line #"))) + 2 :]
    assert [row.split() for row in rows] == [
        ["10"],
        ["11", "4", "2000.0", "500.0", "25.0"],
        ["12"],
        ["13", "1", "6000.0", "6000.0", "75.0"],
    ]
    assert text[0] == "Total time: 0.008 s"


def test_unknown_counts_show_as_question_marks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = marshal_file(tmp_path, "pyi.prof", {("app.py", 1, "main"): (-1, -1, 0.5, 2.0, {})})
    out, _ = stats_out([str(path)], capsys)
    (row,) = table_rows(out)
    assert row[:5] == ["?", "500.0ms", "?", "2.000s", "?"]


def test_warnings_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stats: dict[Any, Any] = {("a.py", 1, "f"): (1, 1, 0.1, 0.1, {}), ("__sampled__",): 1}
    path = marshal_file(tmp_path, "s.prof", stats)
    out, err = stats_out([str(path)], capsys)
    assert "sampled profile" in err and "sampled" not in out


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0, "0"),
        (2.5, "2.500s"),
        (0.0125, "12.50ms"),
        (3.5e-6, "3.500µs"),
        (4e-8, "0.040µs"),
        (-0.25, "-250.0ms"),
    ],
)
def test_stats_reads_times_as_the_explorer_does(seconds: float, text: str) -> None:
    assert format_time(seconds) == text


def test_calls_and_per_call_cells() -> None:
    assert format_calls(5, 5) == "5"
    assert format_calls(30, 2) == "30/2"
    assert format_calls(-1, -1) == "?"
    assert format_per_call(1.0, 0) == ""
    assert format_per_call(1.0, -1) == "?"
    assert format_per_call(1.0, 4) == "250.0ms"


def test_times_read_as_in_the_explorer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = marshal_file(tmp_path, "u.prof", {("app.py", 1, "main"): (4, 4, 0.0125, 2.5, {})})
    out, _ = stats_out([str(path)], capsys)
    (row,) = table_rows(out)
    cells = (format_time(0.0125), format_time(0.0125 / 4), format_time(2.5), format_time(2.5 / 4))
    assert row[1:5] == list(cells) == ["12.50ms", "3.125ms", "2.500s", "625.0ms"]
    assert "in 12.50ms" in out.splitlines()[0]


def test_a_lprof_alone_says_what_its_total_is(
    samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = stats_out([str(samples / "particles.lprof"), "--limit", "1"], capsys)
    profile = load_profile([str(samples / "particles.lprof")])
    summed = format_time(sum(lines.total for lines in profile.lines.values()))
    assert f"line data only, {summed} summed over the timed functions" in out.splitlines()[0]


def test_a_filter_matching_nothing_says_so_and_exits_0(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, err = stats_out([str(made["prof"]), "--filter", "no-such-function"], capsys)
    assert table_rows(out) == []
    assert err.strip() == "tuiprof: --filter no-such-function: no function matches"


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("ncalls", lambda v: v[1]),
        ("tottime", lambda v: v[2]),
        ("tottime-percall", lambda v: v[2] / v[1] if v[1] else 0.0),
        ("cumtime", lambda v: v[3]),
        ("cumtime-percall", lambda v: v[3] / v[0] if v[0] else 0.0),
        ("percall", lambda v: v[3] / v[0] if v[0] else 0.0),
        ("cumulative", lambda v: v[3]),
    ],
)
def test_every_sort_key_of_the_explorer(
    made: dict[str, Path], capsys: pytest.CaptureFixture[str], key: str, column: Any
) -> None:
    out, _ = stats_out([str(made["prof"]), "--sort", key, "--limit", "1", "--json"], capsys)
    (top,) = json.loads(out)["functions"]
    stats: dict[Any, Any] = pstats.Stats(str(made["prof"])).stats  # type: ignore[attr-defined]
    assert column(stats[(top["file"], top["line"], top["name"])]) == max(
        map(column, stats.values())
    )


def test_sort_help_says_what_each_key_means(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--help"]) == 0
    out = capsys.readouterr().out
    for key in ("ncalls", "tottime-percall", "cumtime-percall", "name", "file"):
        assert any(line.split()[:1] == [key] and len(line.split()) > 2 for line in out.splitlines())
    assert "percall = cumtime-percall" in out


def test_a_narrow_terminal_shortens_the_function_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    long_file = "/srv/app/" + "very_long_package_name/" * 4 + "module.py"
    path = marshal_file(tmp_path, "w.prof", {(long_file, 4321, "handler"): (1, 1, 0.5, 0.5, {})})
    monkeypatch.setenv("COLUMNS", "70")
    monkeypatch.setenv("NO_COLOR", "1")
    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["stats", str(path)]) == 0
    out = tty.getvalue()
    capsys.readouterr()
    (row,) = [line for line in out.splitlines() if "handler" in line]
    assert len(row) <= 70
    assert row.endswith("module.py:4321") and "handler  …" in row
    monkeypatch.setattr(report, "_wants_rich", lambda out: True)
    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["stats", str(path)]) == 0
    rich_out = tty.getvalue()
    (row,) = [line for line in rich_out.splitlines() if "handler" in line]
    assert len(row.rstrip()) <= 70 and row.rstrip().endswith("module.py:4321")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_rich_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert report._wants_rich(_Tty())
    assert not report._wants_rich(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not report._wants_rich(_Tty())


def test_rich_table_shows_the_same_cells(
    made: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(report, "_wants_rich", lambda out: True)
    monkeypatch.setenv("COLUMNS", "200")
    args = [str(made["prof"]), str(made["lprof"]), "--filter", "factorial"]
    out, _ = stats_out(args, capsys)
    assert "ncalls" in out and "300/20" in out and "factorial" in out
    assert "Line #" in out and "Line Contents" in out


def test_line_tables_find_source_next_to_the_profile(
    samples: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The samples record bare file names; run from elsewhere, the source is
    # still found beside the profile, as the explorer finds it.
    monkeypatch.chdir(tmp_path)
    prof, lprof = samples / "particles.prof", samples / "particles.lprof"
    assert main(["stats", str(prof), str(lprof), "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "source not found" not in out
    assert "def forces(self)" in out


def test_line_tables_follow_a_path_map(
    samples: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    lprof = tmp_path / "copy.lprof"
    lprof.write_bytes((samples / "particles.lprof").read_bytes())
    args = ["stats", str(lprof), "--limit", "1"]
    assert main(args) == 0
    assert "source not found" in capsys.readouterr().out
    assert main([*args, "--source-root", str(samples)]) == 0
    out = capsys.readouterr().out
    assert "source not found" not in out
    assert "self.step()" in out


def test_one_function_is_one_function(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.prof"
    path.write_bytes(marshal.dumps({("m.py", 1, "f"): (1, 1, 0.5, 0.5, {})}))
    out, _ = stats_out([str(path)], capsys)
    assert out.splitlines()[0].endswith(", 1 function")
