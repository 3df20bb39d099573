"""Exact signed search over simple paths, without enumerating them.

A path's net effect is the product of its hop signs. Which net effects simple paths of at
most ``max_hops`` hops reach is decided in two steps:

1. a breadth-first search over states (node, sign, via nodes seen) gives, for every node,
   the fewest hops of a *walk* from it to a target with each sign. Walks may repeat nodes,
   so this only bounds simple paths: a sign no walk reaches within the bound is unreachable,
   and a partial path that cannot finish within the bound is cut;
2. a best-first search over simple partial paths, guided by that bound (an admissible
   heuristic), finds the paths themselves in rank order: the first path of a sign is its
   witness, the first ``limit`` paths are the top paths. It only cuts what provably cannot
   finish, so a sign it does not find is not reachable by any simple path within the bound.

Rank: the **highest path score first**, then fewest hops. A path's score is the product of
its hops' evidence scores (:mod:`kg.reasoning.scores`), searched as the additive cost
Σ −log(hop score) ≥ 0: cost so far + fewest hops left × least hop cost never overestimates,
so complete paths leave the search in rank order. A whole-path factor (cross-context) only
lowers a score; :class:`kg.reasoning.tracer.Tracer` takes paths until no later one can
outrank those it holds, so the top paths stay exact. Why not fewest hops first: a chain of
well-evidenced links (in vivo, independent studies) should outrank one weak link (a review
sentence), and the product already charges every extra link.

Counting paths of a sign is enumeration, so it stops at ``count_limit`` ("at least N"). A
deadline bounds every step; a step it cuts says so.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from kg.reasoning.signed import Edge, Hop, SignedView

__all__ = ["Bounds", "Deadline", "Query", "TimeLimitError", "best_paths", "bounds",
           "count_paths", "depths", "simple_paths"]  # fmt: skip


class TimeLimitError(Exception):
    """Raised inside the search when its deadline passes."""


class Deadline:
    """A wall-clock bound, checked cheaply (every 256 calls)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._calls = 0

    def check(self) -> None:
        """Raise :class:`TimeLimitError` when the time is up."""
        self._calls += 1
        if self._calls & 255 == 0 and time.monotonic() > self._end:
            raise TimeLimitError(f"stopped after {self.seconds:g} s (raise --time-limit)")

    def now(self) -> None:
        """Check the time at once."""
        if time.monotonic() > self._end:
            raise TimeLimitError(f"stopped after {self.seconds:g} s (raise --time-limit)")


@dataclass(frozen=True)
class Query:
    """What a path must do: start at a source, end at a target (and at no earlier node that
    is one), pass through every ``via`` node, never touch ``avoid``, never pass *through*
    ``stop`` nodes (they may only start or end a path), at most ``max_hops`` hops."""

    sources: frozenset[str]
    targets: frozenset[str]
    max_hops: int
    via: tuple[str, ...] = ()
    avoid: frozenset[str] = frozenset()
    stop: frozenset[str] = frozenset()
    forward: bool = True
    _bits: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._bits.update({node: 1 << i for i, node in enumerate(self.via)})

    @property
    def via_bits(self) -> dict[str, int]:
        """The via bit of each via node."""
        return self._bits

    def bit(self, node: str) -> int:
        """The via bit of ``node`` (0 when it is not a via node)."""
        return self._bits.get(node, 0)

    @property
    def full(self) -> int:
        """The mask of all via nodes."""
        return (1 << len(self.via)) - 1

    def relays(self, node: str) -> bool:
        """Whether a path may pass through ``node``."""
        return not (
            node in self.stop or node in self.avoid or node in self.sources or node in self.targets
        )


class Bounds:
    """Fewest hops of a walk from a node to a target, by needed sign and via mask.

    ``table[(node, sign)]`` maps the mask of via nodes a walk from ``node`` (inclusive)
    visits to its fewest hops, for walks of at most ``horizon`` hops; a state not in the
    table needs more than ``horizon`` hops (more than ``max_hops``: it is unreachable).
    ``plain[(node, sign)]`` is the fewest hops whatever the mask (all that is kept when the
    query has no via nodes), ``least[node]`` the fewest hops of either sign; ``min_cost`` is
    the least cost (−log score) of any hop of the view; ``steps`` caches :func:`count_paths`.
    """

    def __init__(self, horizon: int, max_hops: int, *, plain: bool, min_cost: float) -> None:
        self.table: dict[tuple[str, int], dict[int, int]] = {}
        self.plain: dict[tuple[str, int], int] = {}
        self.least: dict[str, int] = {}
        self.horizon = horizon
        self.max_hops = max_hops
        self.min_cost = min_cost
        self._is_plain = plain
        self.steps: dict[str, list[tuple[int, str, int, bool, int, int]]] = {}

    @property
    def beyond(self) -> int:
        """The bound of a state the table does not hold."""
        return self.horizon + 1 if self.horizon < self.max_hops else _FAR

    def lower(self, node: str, sign: int | None, need: int) -> int:
        """A lower bound on the hops to finish from ``node`` with the given final sign (None:
        either), visiting every via node in the mask ``need`` (a large number when the
        bound rules it out)."""
        if not need:
            if sign is None:
                return self.least.get(node, self.beyond)
            if self._is_plain:
                return self.plain.get((node, sign), self.beyond)
        best = self.beyond
        for s in (1, -1) if sign is None else (sign,):
            for mask, hops in self.table.get((node, s), {}).items():
                if mask & need == need and hops < best:
                    best = hops
        return best

    def signs(self, query: Query) -> set[int]:
        """Signs some walk from a source reaches within the bound (a superset of the signs
        of simple paths)."""
        found = set()
        for source in query.sources:
            need = query.full & ~query.bit(source)
            for sign in (1, -1):
                if self.lower(source, sign, need) <= query.max_hops:
                    found.add(sign)
        return found


_FAR = 1 << 30


def depths(view: SignedView, query: Query, deadline: Deadline) -> dict[str, int]:
    """Fewest hops from a source to each node a path could reach or relay, within the bound
    (breadth first along the query's direction)."""
    depth = dict.fromkeys(query.sources, 0)
    frontier = sorted(query.sources)
    for d in range(1, query.max_hops + 1):
        nxt = []
        for node in frontier:
            deadline.check()
            for edge in view.edges(node, forward=query.forward):
                other = edge.other
                if other in depth or other in query.avoid:
                    continue
                if query.relays(other):
                    depth[other] = d
                    nxt.append(other)
                elif other in query.targets:
                    depth[other] = d
        frontier = nxt
    return depth


#: Edges the backward search may scan before it stops widening: beyond its horizon every
#: node gets the bound "more than the horizon" (still a lower bound, so the search stays
#: exact; it only prunes less far from the targets).
SCAN_BUDGET = 4000


def bounds(view: SignedView, query: Query, deadline: Deadline) -> Bounds:
    """The walk bound of :class:`Bounds`: a breadth-first search backwards from the targets
    over (node, sign, via mask) states, layer by layer up to ``max_hops`` or until it has
    scanned :data:`SCAN_BUDGET` edges (its ``horizon`` is the last layer it completed)."""
    deadline.now()
    found = Bounds(0, query.max_hops, plain=not query.via, min_cost=view.least_cost())
    table, plain, least = found.table, found.plain, found.least
    frontier: list[tuple[str, int, int]] = []
    for target in sorted(query.targets):
        state = (target, 1, query.bit(target))
        table[(target, 1)] = {state[2]: 0}
        plain[(target, 1)] = least[target] = 0
        frontier.append(state)
    scanned = 0
    skip = query.targets | query.avoid | (query.stop - query.sources)
    ends = query.sources | query.stop  # a walk backwards stops there: they cannot be relayed
    bits, backward = query.via_bits, not query.forward
    for hops in range(1, query.max_hops + 1):
        nxt: list[tuple[str, int, int]] = []
        for node, sign, mask in frontier:
            deadline.check()
            if hops > 1 and node in ends:
                continue
            edges = view.edges(node, forward=backward)
            scanned += len(edges)
            if scanned > SCAN_BUDGET and hops > 1:
                break  # this layer stays incomplete: what it found holds, the rest is "> hops - 1"
            for other, _hop, _cost, _score, step in edges:
                if other in skip:
                    continue
                key = (other, sign * step)
                if bits:
                    new_mask = mask | bits.get(other, 0)
                    masks = table.setdefault(key, {})
                    if new_mask in masks:
                        continue
                    masks[new_mask] = hops
                elif key in plain:
                    continue
                else:
                    new_mask = 0  # without via nodes only ``plain`` is read
                plain.setdefault(key, hops)
                least.setdefault(other, hops)
                nxt.append((other, key[1], new_mask))
        else:
            frontier = nxt
            found.horizon = hops
            continue
        break
    return found


def best_paths(
    view: SignedView,
    query: Query,
    table: Bounds,
    deadline: Deadline,
    *,
    sign: int | None = None,
) -> Iterator[tuple[Hop, ...]]:
    """Simple paths in search order (lowest cost Σ −log hop score, then fewest hops), of one
    final sign or any.

    A best-first search over partial paths, keyed by a lower bound of the (cost, hops) of
    their best completion; the bound never overestimates, so complete paths come out in
    that order. Hops are given source to target (also for a backward query).
    """
    counter = itertools.count()
    # (bound, -hops, tie, node, sign, via mask, hops, cost, nodes, edges)
    heap: list[tuple[tuple[float, int], int, int, str, int, int, int, float, tuple[str, ...],
                     tuple[Edge, ...]]] = []  # fmt: skip
    targets, blocked = query.targets, query.stop | query.avoid | query.sources
    full, max_hops, forward, least = query.full, query.max_hops, query.forward, table.min_cost
    bits, plain, nearest, beyond = query.via_bits, table.plain, table.least, table.beyond

    def rest_of(node: str, s: int, mask: int) -> int:
        if not bits:  # the common case, inlined: no via mask to honour
            return (
                nearest.get(node, beyond) if sign is None else plain.get((node, sign * s), beyond)
            )
        return table.lower(node, None if sign is None else sign * s, full & ~mask)

    for source in sorted(query.sources):
        mask = query.bit(source)
        rest = rest_of(source, 1, mask)
        if rest <= max_hops:
            heapq.heappush(heap, ((rest * least if rest else 0.0, rest), 0, next(counter),
                                  source, 1, mask, 0, 0.0, (source,), ()))  # fmt: skip
    while heap:
        deadline.check()
        _b, _d, _t, node, s, mask, hops, cost, nodes, edges = heapq.heappop(heap)
        if hops and node in targets:  # a path ends at its first target, whatever follows
            if mask == full and (sign is None or s == sign):
                found = tuple(e.hop for e in edges)
                yield found if forward else found[::-1]
            continue
        step_hops = hops + 1
        for edge in view.edges(node, forward=forward):
            other = edge.other
            if other in nodes or (other in blocked and other not in targets):
                continue
            step_sign = s * edge.sign
            step_mask = mask | bits.get(other, 0) if bits else 0
            rest = rest_of(other, step_sign, step_mask)
            if step_hops + rest > max_hops:
                continue
            step_cost = cost + edge.cost
            bound = (step_cost + rest * least if rest else step_cost, step_hops + rest)
            entry = (bound, -step_hops, next(counter), other, step_sign, step_mask, step_hops,
                     step_cost, (*nodes, other), (*edges, edge))  # fmt: skip
            heapq.heappush(heap, entry)


def simple_paths(
    view: SignedView,
    query: Query,
    table: Bounds,
    deadline: Deadline,
    *,
    sign: int,
) -> Iterator[tuple[Hop, ...]]:
    """Every simple path of this final sign, depth first (not in rank order).

    Steps only where the bound says the sign can still be reached in the hops left, so the
    work is proportional to the paths yielded, not to the walks. Hops source to target.
    """
    on_path: list[str] = []
    hops: list[Hop] = []

    def walk(node: str, current: int, mask: int) -> Iterator[tuple[Hop, ...]]:
        deadline.check()
        if hops and node in query.targets:
            if current == sign and mask == query.full:
                yield tuple(hops) if query.forward else tuple(hops[::-1])
            return
        on_path.append(node)
        for edge in view.edges(node, forward=query.forward):
            other = edge.other
            if other in on_path or (not query.relays(other) and other not in query.targets):
                continue
            nxt, new_mask = current * edge.hop.sign, mask | query.bit(other)
            rest = table.lower(other, sign * nxt, query.full & ~new_mask)
            if len(hops) + 1 + rest > query.max_hops:
                continue
            hops.append(edge.hop)
            yield from walk(other, nxt, new_mask)
            hops.pop()
        on_path.pop()

    for source in sorted(query.sources):
        yield from walk(source, 1, query.bit(source))


def count_paths(
    view: SignedView,
    query: Query,
    table: Bounds,
    deadline: Deadline,
    *,
    sign: int,
    limit: int,
) -> int:
    """How many simple paths of this final sign there are, counting at most ``limit``: the
    depth-first search of :func:`simple_paths`, without building the paths."""
    if query.via:
        return sum(1 for _ in islice(simple_paths(view, query, table, deadline, sign=sign), limit))
    bound, beyond, least = table.plain, table.beyond, table.least
    targets, blocked = query.targets, query.stop | query.avoid | query.sources
    max_hops, forward = query.max_hops, query.forward
    useful = table.steps  # the same for both signs and every count of the query
    on_path: set[str] = set()
    found = 0

    def steps(node: str) -> list[tuple[int, str, int, bool, int, int]]:
        """The edges out of ``node`` a path can take, as (fewest hops to finish after it,
        next node, sign, is a target, fewest hops to finish with sign +1, with -1), read
        from the bound once per node: hubs have thousands of edges, most of them hopeless."""
        kept = useful.get(node)
        if kept is None:
            kept = []
            for e in view.edges(node, forward=forward):
                if e.other in targets:
                    kept.append((-1, e.other, e.sign, True, 0, 0))
                elif e.other not in blocked and least.get(e.other, beyond) < max_hops:
                    up, down = bound.get((e.other, 1), beyond), bound.get((e.other, -1), beyond)
                    kept.append((min(up, down), e.other, e.sign, False, up, down))
            useful[node] = kept
        return kept

    def walk(node: str, current: int, hops: int) -> None:
        nonlocal found
        deadline.check()
        on_path.add(node)
        allowed = max_hops - hops - 1  # hops a step's next node may still take
        for fewest, other, step, is_target, up, down in steps(node):
            if fewest > allowed:
                continue
            nxt = current * step
            if is_target:
                found += nxt == sign
            elif other not in on_path and (up if sign * nxt == 1 else down) <= allowed:
                walk(other, nxt, hops + 1)
            if found >= limit:
                break
        on_path.discard(node)

    for source in sorted(query.sources):
        if found < limit:
            walk(source, 1, 0)
    return min(found, limit)
