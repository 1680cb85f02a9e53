"""Graph labels read the function table's figures; a subtree's graph says what it shows."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.model.real_runs import record, write_scripts
from tuiprof.export.dot import write_dot
from tuiprof.export.request import ExportFormat, ExportRequest, export_profile
from tuiprof.export.scope import find_roots
from tuiprof.model.loaders import load_profile


@pytest.fixture(scope="module")
def app_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dot")
    write_scripts(folder)
    return record(folder, "app")


def node_labels(text: str) -> dict[str, str]:
    """Node id -> label, for the nodes of a DOT text."""
    return dict(re.findall(r'^\t(\d+) \[[^\n]*?label="([^"]*)"', text, re.M))


def test_percentages_are_of_the_total_as_in_the_table(app_run: Path) -> None:
    profile = load_profile([str(app_run)])
    out = io.StringIO()
    write_dot(profile, out)
    labels = node_labels(out.getvalue())
    assert labels
    for fid_text, label in labels.items():
        fid = int(fid_text)
        percent = float(label.split("\\n")[1].rstrip("%"))
        assert percent == pytest.approx(100 * profile.cumtime[fid] / profile.total_time, abs=0.006)
    assert "as % of the profile's" in out.getvalue()


def test_a_subtree_graph_holds_what_ran_below(app_run: Path, tmp_path: Path) -> None:
    profile = load_profile([str(app_run)])
    roots = tuple(find_roots(profile, "report"))
    out = tmp_path / "report.dot"
    request = ExportRequest(
        ExportFormat.DOT, out, node_threshold=0.0, edge_threshold=0.0, roots=roots
    )
    export_profile(profile, request)
    text = out.read_text(encoding="utf-8")
    labels = " ".join(node_labels(text).values())
    assert "report" in labels and "render" in labels
    assert ":main\\n" not in labels and ":crunch\\n" not in labels
    assert "builtins.exec" not in labels
    assert "what ran under report" in text
