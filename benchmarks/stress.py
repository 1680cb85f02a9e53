"""Deterministic stress profiles for the benchmarks.

``write_stress_profile`` writes a pstats file shaped like one cProfile makes of
a big application: about 300,000 functions and 1.5 million caller edges, in
project files, ``site-packages``, ``lib/python3.x`` and frozen import-system
modules, with built-ins (``~``, ``0``, ``<built-in method ...>``). It holds the
shapes that make a profile viewer slow:

- fan-in hubs: a project function with exactly 10,000 callers, and built-ins
  (``len``, ``isinstance``, ``list.append``) with more;
- deep recursion: a function called a million times from itself;
- cycles: groups of functions calling each other round in a ring;
- edges whose caller is not in the file (pstats keeps them; pyprof2calltree
  and gprof2dot crash on them, so ``unknown_callers=0`` writes a variant
  without them).

It is written with ``marshal.dump`` like ``cProfile`` and
``pstats.Stats.dump_stats``: caller keys are new tuples sharing the function's
strings, so marshal stores them as it stores a real profile's (about 88 MB).

``write_chain_profile`` writes a call chain 100,000 functions long, one root
down to one leaf, for the call tree.

Run as a script to write both into a folder and print what they hold::

    uv run python benchmarks/stress.py /tmp/stress
"""

from __future__ import annotations

import bisect
import marshal
import random
import sys
from dataclasses import dataclass
from pathlib import Path

FunctionKey = tuple[str, int, str]
Edge = tuple[int, int, float, float]
Stats = dict[FunctionKey, tuple[int, int, float, float, dict[FunctionKey, Edge]]]

SEED = 20_240_601
N_FUNCTIONS = 300_000
N_EDGES = 1_500_000
HUB_CALLERS = 10_000
RECURSION_DEPTH = 1_000_000
CHAIN_LENGTH = 100_000

HUB_KEY: FunctionKey = ("/home/dev/shop/src/shop/util/log.py", 41, "debug")
"""The project function with exactly :data:`HUB_CALLERS` callers."""
RECURSIVE_KEY: FunctionKey = ("/home/dev/shop/src/shop/tree/walk.py", 12, "visit")
"""A function recursing :data:`RECURSION_DEPTH` calls deep."""
BUILTIN_HUBS: dict[FunctionKey, int] = {
    ("~", 0, "<built-in method builtins.len>"): 24_000,
    ("~", 0, "<built-in method builtins.isinstance>"): 18_000,
    ("~", 0, "<method 'append' of 'list' objects>"): 15_000,
    ("~", 0, "<method 'get' of 'dict' objects>"): 12_000,
}
N_ROOTS = 12
N_CYCLES = 400
N_UNKNOWN_CALLERS = 25

_VERBS = (
    "get", "set", "load", "save", "parse", "render", "handle", "process", "build",
    "update", "validate", "compute", "read", "write", "resolve", "dispatch", "emit",
    "visit", "check", "convert", "encode", "decode", "fetch", "apply", "merge",
)  # fmt: skip
_NOUNS = (
    "item", "order", "user", "config", "request", "response", "node", "token",
    "record", "batch", "cache", "event", "row", "field", "schema", "value", "path",
    "message", "session", "query", "result", "frame", "block", "entry", "index",
)  # fmt: skip
_SPECIAL = ("__init__", "__call__", "__eq__", "__hash__", "<lambda>", "<listcomp>",
            "<genexpr>", "<dictcomp>", "<module>", "__getattr__", "__iter__")  # fmt: skip
_PACKAGES = (
    "requests", "urllib3", "sqlalchemy", "pydantic", "numpy", "pandas", "jinja2",
    "werkzeug", "flask", "attrs", "rich", "textual", "yaml", "certifi", "idna",
    "markupsafe", "click", "httpx", "anyio", "sniffio", "dateutil", "pytz", "six",
)  # fmt: skip
_STDLIB = (
    "json/decoder.py", "json/encoder.py", "re/_parser.py", "re/_compiler.py", "enum.py",
    "typing.py", "functools.py", "collections/__init__.py", "abc.py", "copy.py",
    "datetime.py", "logging/__init__.py", "os.py", "posixpath.py", "threading.py",
    "dataclasses.py", "inspect.py", "tokenize.py", "ast.py", "pathlib.py", "socket.py",
    "ssl.py", "email/message.py", "http/client.py", "urllib/parse.py", "decimal.py",
)  # fmt: skip
_FROZEN = (
    "<frozen importlib._bootstrap>",
    "<frozen importlib._bootstrap_external>",
    "<frozen zipimport>",
    "<frozen posixpath>",
    "<frozen genericpath>",
)
_BUILTIN_MODULES = ("builtins", "_abc", "posix", "_sre", "_json", "time", "math", "_io")
_TYPES = ("list", "dict", "str", "set", "tuple", "bytes", "_io.BufferedReader", "re.Pattern")


@dataclass(frozen=True)
class StressProfile:
    """A stress file written to disk and what is known about its contents."""

    path: Path
    functions: int
    edges: int
    hub: FunctionKey
    """A function with exactly :data:`HUB_CALLERS` callers."""
    recursive: FunctionKey
    biggest_caller: FunctionKey
    """The function with the most callees."""
    size: int
    """The file's size in bytes."""


@dataclass(frozen=True)
class ChainProfile:
    """The long call chain: ``root`` calls one function, which calls one, ... ``leaf``."""

    path: Path
    functions: int
    root: FunctionKey
    leaf: FunctionKey


def _function_keys(rng: random.Random, n: int) -> list[FunctionKey]:
    """``n`` distinct keys: 60 % project, 25 % site-packages, 8 % stdlib, 5 % built-ins."""
    project = [
        f"/home/dev/shop/src/shop/{rng.choice(_NOUNS)}s/{rng.choice(_VERBS)}_{i}.py"
        for i in range(2_500)
    ]
    site = [
        f"/opt/venv/lib/python3.12/site-packages/{rng.choice(_PACKAGES)}/"
        f"{rng.choice(_NOUNS)}_{i}.py"
        for i in range(3_500)
    ]
    stdlib = [f"/usr/lib/python3.12/{name}" for name in _STDLIB] + [
        f"/usr/lib/python3.12/{rng.choice(_NOUNS)}lib/{rng.choice(_NOUNS)}_{i}.py"
        for i in range(400)
    ]
    # Strings are shared by every key that names them, as cProfile's are.
    names = [f"{v}_{noun}" for v in _VERBS for noun in _NOUNS] + list(_SPECIAL)
    next_line: dict[str, int] = {}
    keys: list[FunctionKey] = []
    seen_builtins: set[str] = set()
    while len(keys) < n:
        draw = rng.random()
        if draw < 0.05:
            if rng.random() < 0.5:
                name = f"<built-in method {rng.choice(_BUILTIN_MODULES)}.fn_{rng.randrange(8000)}>"
            else:
                name = f"<method 'm_{rng.randrange(8000)}' of '{rng.choice(_TYPES)}' objects>"
            if name in seen_builtins:
                continue
            seen_builtins.add(name)
            keys.append(("~", 0, name))
            continue
        if draw < 0.65:
            file = rng.choice(project)
        elif draw < 0.90:
            file = rng.choice(site)
        elif draw < 0.995:
            file = rng.choice(stdlib)
        else:
            file = rng.choice(_FROZEN)
        line = next_line.get(file, 1) + rng.randrange(3, 40)
        next_line[file] = line
        keys.append((file, line, rng.choice(names)))
    return keys


def _edge(rng: random.Random, leaf: bool) -> Edge:
    calls = min(int(rng.paretovariate(1.3)), 50_000)
    tt = calls * rng.uniform(2e-7, 2e-5)
    ct = tt if leaf else tt * (1.0 + rng.expovariate(0.5))
    return (calls, calls, tt, ct)


def build_stress_stats(
    n_functions: int = N_FUNCTIONS,
    n_edges: int = N_EDGES,
    seed: int = SEED,
    unknown_callers: int = N_UNKNOWN_CALLERS,
) -> Stats:
    """The stress profile as a pstats ``stats`` dictionary (same seed, same dictionary).

    ``unknown_callers`` (at most :data:`N_UNKNOWN_CALLERS`) edges get a caller
    that is not in the file. With fewer, the dictionary is the same but for the
    edges left out: pyprof2calltree and gprof2dot crash on such callers, so
    the export benchmarks compare with them on ``unknown_callers=0``.
    """
    if not 0 <= unknown_callers <= N_UNKNOWN_CALLERS:
        raise ValueError(f"unknown_callers must be 0 to {N_UNKNOWN_CALLERS}")
    rng = random.Random(seed)
    keys = _function_keys(rng, n_functions)
    # Functions are placed in a random "depth" order; callers come from earlier
    # places, so the graph is acyclic until the cycles are added on purpose.
    special = [HUB_KEY, RECURSIVE_KEY, *BUILTIN_HUBS]
    special_set = set(special)
    keys = [k for k in keys if k not in special_set][: n_functions - len(special)]
    rng.shuffle(keys)
    keys[n_functions // 2 : n_functions // 2] = [RECURSIVE_KEY]
    keys.extend([HUB_KEY, *BUILTIN_HUBS])
    place = {key: i for i, key in enumerate(keys)}
    is_builtin = [key[0] == "~" for key in keys]
    callable_places = [i for i in range(len(keys)) if not is_builtin[i]]
    leaves = [is_builtin[i] for i in range(len(keys))]

    # How many callers each function gets: one each, hubs their number, and the
    # rest spread with a heavy tail (a few functions are called from many places).
    degree = [0] * N_ROOTS + [1] * (len(keys) - N_ROOTS)
    degree[place[HUB_KEY]] = HUB_CALLERS
    for key, callers in BUILTIN_HUBS.items():
        degree[place[key]] = callers
    fixed = set(map(place.__getitem__, special))
    spare = n_edges - sum(degree) - N_CYCLES - N_UNKNOWN_CALLERS - 1
    weights = [
        0.0 if i < 2_000 or i in fixed else min(rng.paretovariate(1.6), 400.0)
        for i in range(len(keys))
    ]
    for i in rng.choices(range(len(keys)), weights, k=spare):
        degree[i] += 1

    stats: Stats = {}
    edges = 0
    for i, key in enumerate(keys):
        before = bisect.bisect_left(callable_places, i)
        count = min(degree[i], before)
        callers: dict[FunctionKey, Edge] = {}
        for j in rng.sample(range(before), count):
            caller = keys[callable_places[j]]
            # A new tuple, sharing the strings: what pstats' label() gives.
            callers[(caller[0], caller[1], caller[2])] = _edge(rng, leaves[i])
        edges += len(callers)
        stats[key] = _totals(callers)
        if not callers:
            stats[key] = (1, 1, 1e-6, 1e-6 + rng.uniform(0, 30.0), callers)

    # Deep recursion: the function calls itself a million times over.
    cc, nc, tt, ct, callers = stats[RECURSIVE_KEY]
    depth = RECURSION_DEPTH - nc
    callers[RECURSIVE_KEY] = (depth, 0, depth * 3e-7, depth * 9e-7)
    stats[RECURSIVE_KEY] = (cc, nc + depth, tt + depth * 3e-7, ct, callers)
    edges += 1

    # Cycles: rings of 2 to 6 functions; the last of each calls the first again.
    project = [k for k in keys if k[0].startswith("/home/") and k not in special_set]
    for _ in range(N_CYCLES):
        ring = rng.sample(project, rng.randrange(2, 7))
        for caller, callee in zip(ring, ring[1:] + ring[:1], strict=True):
            cc, nc, tt, ct, callers = stats[callee]
            if caller in callers:
                continue
            calls = rng.randrange(1, 500)
            callers[(caller[0], caller[1], caller[2])] = (calls, 0, calls * 1e-6, calls * 4e-6)
            stats[callee] = (cc, nc + calls, tt + calls * 1e-6, ct, callers)
            edges += 1

    # Callers that are not in the file (pstats keeps and shows such edges).
    # Every callee is drawn, kept or not, so the random sequence stays the same.
    for n in range(N_UNKNOWN_CALLERS):
        callee = rng.choice(project)
        if n < unknown_callers:
            stats[callee][4][("/gone/away.py", n + 1, f"vanished_{n}")] = (1, 1, 1e-6, 2e-6)
            edges += 1

    # cProfile's dictionary order is its own hash order, not the call order.
    order = list(stats)
    rng.shuffle(order)
    return {key: stats[key] for key in order}


def _totals(
    callers: dict[FunctionKey, Edge],
) -> tuple[int, int, float, float, dict[FunctionKey, Edge]]:
    """A function's own figures: the sums over its callers, as cProfile records them."""
    cc = nc = 0
    tt = ct = 0.0
    for e_nc, e_cc, e_tt, e_ct in callers.values():
        nc += e_nc
        cc += e_cc
        tt += e_tt
        ct += e_ct
    return (cc, nc, tt, ct, callers)


def build_chain_stats(length: int = CHAIN_LENGTH) -> Stats:
    """A call chain: ``step_0`` calls ``step_1`` ... calls ``step_{length-1}``."""
    file = "/home/dev/shop/src/shop/chain.py"
    keys = [(file, 10 + 3 * i, f"step_{i}") for i in range(length)]
    stats: Stats = {}
    for i, key in enumerate(keys):
        own = 1e-6
        cum = (length - i) * 1e-6
        callers = {} if i == 0 else {(file, keys[i - 1][1], keys[i - 1][2]): (1, 1, own, cum)}
        stats[key] = (1, 1, own, cum, callers)
    return stats


def write_stress_profile(
    folder: Path, unknown_callers: int = N_UNKNOWN_CALLERS, name: str = "stress.prof"
) -> StressProfile:
    """Write the stress profile into ``folder`` as ``name`` and describe it.

    ``unknown_callers=0`` writes the variant with every caller in the file.
    """
    stats = build_stress_stats(unknown_callers=unknown_callers)
    path = folder / name
    with path.open("wb") as handle:
        marshal.dump(stats, handle)
    callee_counts: dict[FunctionKey, int] = {}
    for value in stats.values():
        for caller in value[4]:
            callee_counts[caller] = callee_counts.get(caller, 0) + 1
    biggest = max(callee_counts, key=callee_counts.__getitem__)
    return StressProfile(
        path=path,
        functions=len(stats),
        edges=sum(len(value[4]) for value in stats.values()),
        hub=HUB_KEY,
        recursive=RECURSIVE_KEY,
        biggest_caller=biggest,
        size=path.stat().st_size,
    )


def write_chain_profile(folder: Path) -> ChainProfile:
    """Write the long call chain into ``folder`` and describe it."""
    stats = build_chain_stats()
    path = folder / "chain.prof"
    with path.open("wb") as handle:
        marshal.dump(stats, handle)
    keys = list(stats)
    return ChainProfile(path=path, functions=len(keys), root=keys[0], leaf=keys[-1])


CHANGED_SHARE = 0.05
"""Of the changed stress profile's functions, the share whose figures changed."""
NEW_SHARE = 0.01
"""And the share of new functions it adds."""


def build_changed_stats(seed: int = SEED + 1) -> Stats:
    """The stress profile after a code change: 5 % of functions changed, 1 % new.

    A changed function's times are scaled (0.3x to 3x) and, for a third of
    them, its first line moves down one line (code edited above it), with the
    caller edges that name it following. The new functions each get one
    caller among the old ones.
    """
    stats = build_stress_stats()
    rng = random.Random(seed)
    keys = list(stats)
    project = [k for k in keys if k[0] != "~"]
    changed = rng.sample(project, int(len(keys) * CHANGED_SHARE))
    moved: dict[FunctionKey, FunctionKey] = {}
    for key in changed:
        cc, nc, tt, ct, callers = stats[key]
        factor = rng.uniform(0.3, 3.0)
        stats[key] = (cc, nc, tt * factor, ct * factor, callers)
        if rng.random() < 1 / 3 and key not in (HUB_KEY, RECURSIVE_KEY):
            moved[key] = (key[0], key[1] + 1, key[2])
    out: Stats = {}
    for key, (cc, nc, tt, ct, callers) in stats.items():
        if any(caller in moved for caller in callers):
            callers = {moved.get(caller, caller): edge for caller, edge in callers.items()}
        out[moved.get(key, key)] = (cc, nc, tt, ct, callers)
    callers_pool = list(out)
    for i in range(int(len(keys) * NEW_SHARE)):
        file = rng.choice(project)[0]
        caller = rng.choice(callers_pool)
        edge = _edge(rng, True)
        out[(file, 100_000 + i, f"added_{i}")] = (*edge, {caller: edge})
    return out


def write_changed_profile(folder: Path, name: str = "stress-changed.prof") -> Path:
    """Write :func:`build_changed_stats` into ``folder``; the file's path."""
    path = folder / name
    with path.open("wb") as handle:
        marshal.dump(build_changed_stats(), handle)
    return path


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else ".")
    folder.mkdir(parents=True, exist_ok=True)
    stress = write_stress_profile(folder)
    chain = write_chain_profile(folder)
    print(
        f"{stress.path}: {stress.functions:,} functions, {stress.edges:,} caller edges, "
        f"{stress.size / 1e6:.1f} MB; hub {stress.hub}"
    )
    print(f"{chain.path}: a call chain of {chain.functions:,} functions")
    changed = write_changed_profile(folder)
    print(f"{changed}: the stress profile with 5 % of functions changed and 1 % new")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
