"""Line timings in the same run as cProfile, with line_profiler.

``kernprof`` wraps each profiled function in a Python wrapper; under cProfile
every covered function would then be called through one shared ``wrapper``
function, which would join all their callers into one node of the call graph.
So nothing is wrapped here: the code objects of the target functions are
registered with line_profiler before the functions exist (the script's code is
compiled here; a target module's code is registered as it is imported), and
line_profiler traces for the whole run.

line_profiler tells its functions apart by their bytecode, and pads the
bytecode of each function it registers with a few no-ops; the padded code
objects replace the originals inside the module's code, so the functions the
program defines are the registered ones.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tuiprof.model.errors import ProfileError
from tuiprof.record.program import Program

MISSING = "--lines needs line_profiler: pip install 'tuiprof[lines]'"

_CO_OPTIMIZED = 0x0001
"""Set on the code of functions, not on the code of modules and class bodies."""


class LinesUnavailable(Exception):
    """line_profiler is not installed; the message says how to install it."""


@dataclass(frozen=True)
class Target:
    """One ``--lines`` TARGET: a module or a file, and maybe one function in it."""

    module: str | None = None
    """A dotted module name, or None for a file."""
    file: str | None = None
    """A file's real path, or None for a module."""
    function: str | None = None
    """A qualified name (``Simulator.step``): that function and what is defined in it."""
    submodules: bool = False
    """For a module: its submodules too (the default for ``-m``: the whole package)."""
    label: str = field(default="", compare=False)
    """The TARGET as typed (or what the default covers), for warnings."""

    def names(self, module: str) -> bool:
        if self.module is None:
            return False
        return module == self.module or (self.submodules and module.startswith(self.module + "."))

    def selects(self, code: types.CodeType) -> bool:
        """Whether the function compiled to ``code`` is one to time line by line."""
        if not code.co_flags & _CO_OPTIMIZED or code.co_name.startswith("<"):
            return False  # class bodies, lambdas, comprehensions: kernprof leaves them too
        if self.function is None:
            return True
        qualname: str | None = getattr(code, "co_qualname", None)
        if qualname is None:  # Python 3.10: code knows its name only
            return code.co_name == self.function.rpartition(".")[2]
        return qualname == self.function or qualname.startswith(self.function + ".")


def parse_target(text: str) -> Target:
    """``pkg.mod``, ``pkg.mod:Class.method``, ``helpers.py`` or ``helpers.py:func``."""
    where, _, function = text.partition(":")
    qualname = function or None
    if qualname is not None and not all(part.isidentifier() for part in qualname.split(".")):
        raise ProfileError(text, "not a function's qualified name after ':'")
    if where.endswith(".py") or os.sep in where or os.path.isfile(where):
        if not os.path.isfile(where):
            raise ProfileError(where, "no such file")
        return Target(file=_real(where), function=qualname, label=text)
    if not where or not all(part.isidentifier() for part in where.split(".")):
        raise ProfileError(text, "not a module, a file, or module:function")
    return Target(module=where, function=qualname, label=text)


def default_targets(program: Program) -> tuple[Target, ...]:
    """Every function in the script's own file; for ``-m``, in the module's package."""
    if program.module:
        top = program.target.partition(".")[0]
        return (Target(module=top, submodules=True, label=top),)
    return (Target(file=_real(program.target), label=program.target),)


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


class LineRecorder:
    """One line_profiler for the run, fed with the targets' code as it is compiled."""

    def __init__(self, program: Program, targets: Sequence[Target]) -> None:
        try:
            from line_profiler import LineProfiler
        except ImportError:
            raise LinesUnavailable(MISSING) from None
        self.profiler: Any = _own_tool(LineProfiler)()
        self.program = program
        self.targets = tuple(targets)
        self._matched: set[Target] = set()
        """The targets that registered at least one function."""
        self._finder = _LineFinder(self)

    # Which code -------------------------------------------------------------------

    def _targets_for(self, module: str | None, file: str | None) -> list[Target]:
        """The targets that cover the module ``module`` or the file ``file``."""
        real = _real(file) if file else None
        return [
            target
            for target in self.targets
            if (module is not None and target.names(module))
            or (real is not None and target.file == real)
        ]

    def instrument_script(self, code: types.CodeType) -> types.CodeType:
        """The script's compiled code, with the target functions registered."""
        targets = self._targets_for(self._script_module_name(), code.co_filename)
        return self.instrument(code, targets) if targets else code

    def _script_module_name(self) -> str | None:
        """The module name the script would be imported under, if a target names it."""
        name = self.program.name
        if not name.isidentifier():
            return None
        folder = os.path.dirname(os.path.realpath(self.program.target))
        spec = importlib.machinery.PathFinder.find_spec(name, [folder])
        if spec is None or spec.origin is None:
            return None
        return name if _real(spec.origin) == _real(self.program.target) else None

    def instrument(self, code: types.CodeType, targets: Sequence[Target]) -> types.CodeType:
        """``code`` with each function a target selects inside it registered (and padded)."""
        consts = list(code.co_consts)
        changed = False
        for index, const in enumerate(consts):
            if isinstance(const, types.CodeType):
                new = self.instrument(const, targets)
                if new is not const:
                    consts[index] = new
                    changed = True
        if changed:
            code = code.replace(co_consts=tuple(consts))
        selecting = [target for target in targets if target.selects(code)]
        if selecting:
            self._matched.update(selecting)
            cells = tuple(types.CellType() for _ in code.co_freevars)
            function = types.FunctionType(code, {}, code.co_name, None, cells)
            self.profiler.add_function(function)
            code = function.__code__  # padded by line_profiler
        return code

    # The run ----------------------------------------------------------------------

    def start(self) -> None:
        """Register what is already imported, watch imports for the rest, start tracing."""
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if name != "__main__" and self._targets_for(name, file):
                self._add_live_module(name, module, file)
        sys.meta_path.insert(_path_finder_index(), self._finder)
        self.profiler.enable_by_count()

    def stop(self) -> None:
        self.profiler.disable_by_count()
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)

    def _add_live_module(self, name: str, module: types.ModuleType, file: str | None) -> None:
        for target in self.targets:
            if not (target.names(name) or (file and target.file == _real(file))):
                continue
            if target.function is None:
                added = self.profiler.add_module(module)
            else:
                found: Any = module
                for part in target.function.split("."):
                    found = getattr(found, part, None)
                added = 0 if found is None else self.profiler.add_callable(found)
            if added:
                self._matched.add(target)

    def stats(self) -> Any:
        """line_profiler's ``LineStats``, as ``kernprof -l`` pickles it."""
        return self.profiler.get_stats()

    @property
    def covered(self) -> int:
        """How many functions are registered."""
        return len(self.profiler.functions)

    def unmatched(self) -> tuple[str, ...]:
        """The targets that matched no function in the run, as typed (each once)."""
        labels = [target.label for target in self.targets if target not in self._matched]
        return tuple(dict.fromkeys(labels))


def _own_tool(profiler_class: Any) -> Any:
    """line_profiler's class, on a ``sys.monitoring`` tool id of its own (Python 3.12+).

    line_profiler takes the profiler's id, which cProfile holds during the run
    ("Another profiling tool is already active"); any free id works the same.
    """
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return profiler_class
    for tool_id in (4, 3, 5):
        if monitoring.get_tool(tool_id) is None:
            return type("RecordLineProfiler", (profiler_class,), {"tool_id": tool_id})
    return profiler_class


def _path_finder_index() -> int:
    """Before the path finder, after the built-in and frozen importers."""
    for index, finder in enumerate(sys.meta_path):
        if finder is importlib.machinery.PathFinder:
            return index
    return len(sys.meta_path)


class _LineFinder(importlib.abc.MetaPathFinder):
    """Finds target modules as the path finder does, with a loader that registers their code."""

    def __init__(self, recorder: LineRecorder) -> None:
        self.recorder = recorder
        self._by_file = any(target.file is not None for target in recorder.targets)

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        recorder = self.recorder
        if not self._by_file and not recorder._targets_for(fullname, None):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None:
            return None
        if not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        targets = recorder._targets_for(fullname, spec.origin)
        if not targets:
            return None
        spec.loader = _LineLoader(fullname, spec.origin, recorder, targets)
        return spec


class _LineLoader(importlib.machinery.SourceFileLoader):
    """A source loader whose code has its target functions registered with line_profiler."""

    def __init__(
        self, fullname: str, path: str, recorder: LineRecorder, targets: Sequence[Target]
    ) -> None:
        super().__init__(fullname, path)
        self._recorder = recorder
        self._targets = tuple(targets)

    def get_code(self, fullname: str) -> types.CodeType:
        code = super().get_code(fullname)
        assert code is not None  # a source file always has code
        return self._recorder.instrument(code, self._targets)
