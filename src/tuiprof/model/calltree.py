"""The call tree: from the roots down, one caller→callee edge per step.

pstats keeps only caller→callee totals, so a tree node's figures are exact
only while its whole function sits under it. A root holds the calls of its
function that no recorded caller accounts for (:meth:`Profile.roots`): all of
its primitive calls, and then its function's own figures, or a share of them,
estimated. A node that holds all of its function's primitive calls and
cumulative time holds the whole function, recursion or not: its children hold
their edges' own figures. Below a node that holds only part of its function
(its function was also called from elsewhere), the edge figures are scaled by
that part and flagged ``estimated``. The ``profile`` module records a caller
edge as a bare call count: its time is estimated from its share of the
callee's calls. A callee already on the path from the root (recursion, or a
cycle) is flagged ``recursive`` and is never expanded.

Every walk here is a loop, never a recursive call: a call chain can be
100,000 functions long.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast

from tuiprof.model.collector import collector_paused
from tuiprof.model.profile import Profile, RawEdge
from tuiprof.model.shares import WHOLE, edge_share
from tuiprof.model.tree_paths import heaviest_path

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[object], object]:
        """Only the type checker reads it (``typing`` has it from Python 3.11)."""
        return lambda function: function


_Class = TypeVar("_Class", bound=type)


@dataclass_transform(frozen_default=True, eq_default=False)
def _node_class(cls: _Class) -> _Class:
    """A slotted dataclass compared by identity: frozen to the type checker, not at run time.

    A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``: 2.5 times the cost of a plain one, and ``h`` on a
    chain 100,000 calls deep builds a node per call. Nothing assigns to a
    node, and mypy (which reads this as frozen) sees that nothing does.
    """
    return cast("_Class", dataclass(slots=True, eq=False)(cls))


@_node_class
class TreeNode:
    """One node of the call tree: a function reached by one path from a root.

    Nodes compare by identity; the path is the chain of ``parent`` links.
    """

    fid: int
    parent: TreeNode | None
    depth: int
    ncalls: float
    """The calls along this path (a fraction when estimated)."""
    tottime: float
    cumtime: float
    estimated: bool
    """True when the figures are scaled from an edge's totals, not recorded."""
    recursive: bool
    """True when ``fid`` is already on the path above: never expanded."""
    timed: bool = True
    """False when no time is known or can be estimated (a function with no calls)."""
    share: float = 1.0
    """The part of its function's cumulative time this node holds, 0 to 1."""

    @property
    def whole(self) -> bool:
        """Does the node hold all of its function, exactly? Then its children are exact."""
        return not self.estimated and self.share >= WHOLE

    def path(self) -> list[int]:
        """Function numbers from the root down to this node."""
        fids: list[int] = []
        node: TreeNode | None = self
        while node is not None:
            fids.append(node.fid)
            node = node.parent
        fids.reverse()
        return fids


class CallTree:
    """Builds tree nodes on demand from a profile; children are cached per node.

    The one model behind the tree view, the hot path, ``tuiprof tree`` and
    the subtree exports.
    """

    def __init__(
        self,
        profile: Profile,
        callees: Callable[[int], Sequence[tuple[int, RawEdge]]] | None = None,
    ) -> None:
        """``callees`` gives a function's callee edges (default: the callee index)."""
        self.profile = profile
        self.callees = callees if callees is not None else self._indexed
        self._roots: list[TreeNode] | None = None
        self._children: dict[int, list[TreeNode]] = {}
        # id(node) -> node keeps each cached node alive, so ids are never reused.
        self._alive: dict[int, TreeNode] = {}

    def _indexed(self, fid: int) -> Sequence[tuple[int, RawEdge]]:
        return self.profile.callee_index()[fid]

    def roots(self) -> list[TreeNode]:
        """Where calls enter the profile, largest first (see :meth:`Profile.roots`)."""
        if self._roots is None:
            p = self.profile
            nodes = []
            for fid in p.roots():
                share = p.root_share(fid)
                calls = p.root_calls(fid) or p.primitive_calls[fid]
                nodes.append(
                    TreeNode(
                        fid,
                        None,
                        0,
                        float(calls),
                        p.tottime[fid] * share,
                        p.cumtime[fid] * share,
                        estimated=share < WHOLE,
                        recursive=False,
                        share=share,
                    )
                )
            self._roots = nodes
        return self._roots

    def is_whole(self, node: TreeNode) -> bool:
        """Does this node hold all of its function's primitive calls and time, exactly?"""
        return node.whole

    def has_children(self, node: TreeNode) -> bool:
        """Can this node be expanded? (Cheap: no nodes are built.)"""
        return not node.recursive and bool(self.callees(node.fid))

    def children(self, node: TreeNode, on_path: set[int] | None = None) -> list[TreeNode]:
        """The callees of the node's function along this path, largest cumtime first.

        ``on_path`` is the set of function numbers from the root to ``node``
        (inclusive); it is computed from the parent links when not given.
        """
        cached = self._children.get(id(node))
        if cached is not None:
            return cached
        if node.recursive:
            return []
        p = self.profile
        if on_path is None:
            on_path = set(node.path())
        exact = node.whole
        part = 1.0 if exact else node.share
        depth = node.depth + 1
        fid = node.fid
        tottime, cumtime, primitive = p.tottime, p.cumtime, p.primitive_calls
        kids: list[TreeNode] = []
        append = kids.append
        for callee, raw in self.callees(fid):
            if isinstance(raw, tuple):
                # edge_share's rule for timed edges, inlined: a node of 10,000
                # children builds them all.
                nc, cc, tt, ct = raw
                function_time = cumtime[callee]
                if cc >= primitive[callee] and ct >= function_time * WHOLE:
                    share = 1.0
                elif function_time > 0:
                    share = min(max(ct / function_time, 0.0), 1.0)
                else:
                    share = edge_share(p, fid, callee, raw)
                estimated = not exact
            else:
                share = edge_share(p, fid, callee, raw)
                # The profile module: no times on the edge, only its calls.
                nc, tt, ct = raw, tottime[callee] * share, cumtime[callee] * share
                estimated = not exact or share < WHOLE
            append(
                TreeNode(
                    callee,
                    node,
                    depth,
                    nc * part,
                    tt * part,
                    ct * part,
                    estimated,
                    callee in on_path,
                    True,
                    share * part,
                )
            )
        if len(kids) > 1:  # a chain has one child a node: nothing to sort
            kids.sort(key=_by_cumtime_then_calls)
        self._children[id(node)] = kids
        self._alive[id(node)] = node
        return kids

    def hot_path(self, node: TreeNode) -> list[TreeNode]:
        """From ``node`` down: at each step the child with the largest cumtime.

        Recursive children are passed over (their time is already counted in
        the node above); the path ends where no other child is left.
        """
        on_path = set(node.path())
        path = [node]
        # A long chain builds a node per step: no collections meanwhile.
        with collector_paused():
            while True:
                best: TreeNode | None = None
                for child in self.children(node, on_path):
                    if not child.recursive:
                        best = child  # children are sorted: the first one is the largest
                        break
                if best is None:
                    return path
                path.append(best)
                on_path.add(best.fid)
                node = best

    def under(self, fid: int) -> TreeNode:
        """A node holding all of ``fid``, placed where its heaviest node is.

        What ran under a function: its children are its callees with their
        edges' own figures, and the functions above its heaviest node (from
        :func:`~tuiprof.model.tree_paths.heaviest_path`) are its ancestors,
        so that walking down never climbs back into them (a lazy import in
        ``fid`` reaches ``exec``, which ran the script: it is marked
        recursive there, not opened again). Shared by ``tuiprof tree --root``
        and the subtree exports.
        """
        p = self.profile
        fids = heaviest_path(p, fid)
        parent = self.follow(fids)[-2] if fids is not None and len(fids) > 1 else None
        return TreeNode(
            fid,
            parent,
            0 if parent is None else parent.depth + 1,
            # Its primitive calls, as a root's: the recursive ones are its
            # recursive child's (``↻``), counted there.
            float(p.primitive_calls[fid]),
            p.tottime[fid],
            p.cumtime[fid],
            estimated=False,
            recursive=False,
        )

    def follow(self, fids: Sequence[int]) -> list[TreeNode]:
        """The nodes along a path of function numbers starting at a root."""
        root = next((node for node in self.roots() if node.fid == fids[0]), None)
        if root is None:
            raise ValueError("the path does not start at a root")
        nodes = [root]
        on_path = {root.fid}
        for fid in fids[1:]:
            kids = self.children(nodes[-1], on_path)
            nodes.append(next(kid for kid in kids if kid.fid == fid and not kid.recursive))
            on_path.add(fid)
        return nodes


def _by_cumtime_then_calls(node: TreeNode) -> tuple[float, float]:
    # By size: the profile module's calibration can make times negative.
    return (-abs(node.cumtime), -node.ncalls)
