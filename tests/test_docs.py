"""The guide quotes tuiprof's text outputs as they are today (made by docs/make_screenshots.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shots() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_screenshots", ROOT / "docs" / "make_screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_screenshots"] = module
    spec.loader.exec_module(module)
    return module


def test_the_stats_and_tree_outputs_are_today_s(shots: ModuleType) -> None:
    # The samples are committed, so their outputs are fixed: a change of format
    # (or of the samples) must come with the outputs remade.
    for output, args, command in (
        ("stats.txt", ["sample_profiles/taylor.prof", "--limit", "8"], "stats"),
        ("tree.txt", ["sample_profiles/bottlenecks.prof", "--depth", "6"], "tree"),
    ):
        text = (ROOT / "docs" / "screenshots" / output).read_text(encoding="utf-8")
        now = shots.stats_output(args, ROOT, command)
        assert now in text, (
            f"docs/screenshots/{output} is out of date: run docs/make_screenshots.py"
        )


@pytest.mark.parametrize("index", [0, 1])
def test_the_pages_quote_the_outputs_in_full(shots: ModuleType, index: int) -> None:
    page, output, keep = shots.EMBEDDED[index]
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    quoted = (ROOT / "docs" / "screenshots" / output).read_text(encoding="utf-8")
    assert shots.embedded(text, quoted, keep) == text, f"docs/{page} quotes an old {output}"
    assert quoted.splitlines()[1] in text


def test_embedding_replaces_only_the_block(shots: ModuleType) -> None:
    page = "intro\n\n```text\n$ tuiprof x\nold\nolder\n```\n\nafter\n"
    assert shots.embedded(page, "$ tuiprof x\nnew\n", None) == (
        "intro\n\n```text\n$ tuiprof x\nnew\n```\n\nafter\n"
    )
    assert shots.embedded(page, "$ tuiprof x\na\nb\nc\n", 2) == (
        "intro\n\n```text\n$ tuiprof x\na\n…\n```\n\nafter\n"
    )


def _json_block(page: str, after: str) -> str:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    start = text.index("```json\n", text.index(after)) + len("```json\n")
    return text[start : text.index("```", start)]


def test_the_stats_json_example_is_today_s(shots: ModuleType) -> None:
    import json

    quoted = json.loads(_json_block("commands.md", "### The JSON document"))
    now = json.loads(
        shots.stats_output(["sample_profiles/taylor.prof", "--json", "--limit", "1"], ROOT)
    )
    assert quoted["total_time"] == now["total_time"]
    (shown,) = quoted["functions"]
    (real,) = now["functions"]
    assert {k: v for k, v in shown.items() if k != "callers"} == {
        k: v for k, v in real.items() if k != "callers"
    }
    assert all(caller in real["callers"] for caller in shown["callers"])


def test_the_diff_json_example_holds_today_s_figures(shots: ModuleType) -> None:
    import json

    block = _json_block("diff.md", "### JSON").replace(", ...}", "}").replace("  ...\n", "")
    quoted = json.loads(block.replace("}},\n ]}", "}}\n ]}"))
    now = json.loads(
        shots.stats_output(
            ["sample_profiles/diff/before.prof", "sample_profiles/diff/after.prof", "--json"],
            ROOT,
            "diff",
        )
    )
    for side in ("before", "after"):
        assert quoted[side] == now[side]
    assert quoted["total_delta"] == now["total_delta"]
    by_name = {function["name"]: function for function in now["functions"]}
    for function in quoted["functions"]:
        real = by_name[function["name"]]
        for part in ("before", "after", "delta"):
            if function[part] is not None:
                assert function[part].items() <= real[part].items(), (function["name"], part)
