"""Write the before/after sample pair into ``sample_profiles/diff`` (run by hand).

The report program before and after its ``+=`` loop became ``join``, profiled
with ``python -m cProfile -o`` and ``kernprof -l``; paths into the checkout
folders are rewritten to ``before/report.py`` and ``after/report.py``, so the
files open (and find their source) from any checkout. Committed, so that the
diff screen's snapshots and the guide's screenshots see the same numbers::

    uv run python -m sample_profiles.make_diff_samples
"""

from __future__ import annotations

import marshal
import pickle
import shutil
import tempfile
from pathlib import Path

from tests.model.diff_support import kernprof_program, profiled_change

HERE = Path(__file__).resolve().parent / "diff"


def _relative(path: str, root: Path) -> str:
    for side in ("before", "after"):
        prefix = str(root / side) + "/"
        if path.startswith(prefix):
            return f"{side}/{path[len(prefix) :]}"
    return path


def _rewrite_pstats(path: Path, root: Path) -> None:
    stats = marshal.loads(path.read_bytes())

    def key(k: tuple[str, int, str]) -> tuple[str, int, str]:
        return (_relative(k[0], root), k[1], k[2])

    out = {
        key(k): (cc, nc, tt, ct, {key(c): e for c, e in callers.items()})
        for k, (cc, nc, tt, ct, callers) in stats.items()
    }
    path.write_bytes(marshal.dumps(out))


def _rewrite_lprof(path: Path, root: Path) -> None:
    stats = pickle.loads(path.read_bytes())
    stats.timings = {(_relative(k[0], root), k[1], k[2]): v for k, v in stats.timings.items()}
    path.write_bytes(pickle.dumps(stats))


def main() -> None:
    root = Path(tempfile.mkdtemp())
    before, after = profiled_change(root)
    before_lines = kernprof_program(root / "before" / "run.py", root / "before.lprof")
    after_lines = kernprof_program(root / "after" / "run.py", root / "after.lprof")
    HERE.mkdir(exist_ok=True)
    for side in ("before", "after"):
        (HERE / side).mkdir(exist_ok=True)
        shutil.copy(root / side / "report.py", HERE / side / "report.py")
    for made in (before, after):
        _rewrite_pstats(made, root)
        shutil.copy(made, HERE / made.name)
    for made in (before_lines, after_lines):
        _rewrite_lprof(made, root)
        shutil.copy(made, HERE / made.name)


if __name__ == "__main__":
    main()
