"""The steps of one trace: decide the net effects, rank the top paths, count the paths.

Used by :func:`kg.reasoning.paths.trace`; see :mod:`kg.reasoning.search` for the algorithm.
With ``--coherence study`` (or ``cell-type``) every step runs once per study (cell type)
that could support a whole path, on the view restricted to its evidence; with ``any`` the
ranking also looks in those views, so that coherent paths surface and rank first.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.reasoning import coherence as coh
from kg.reasoning.search import (
    _FAR,
    Bounds,
    Deadline,
    Query,
    TimeLimitError,
    best_paths,
    bounds,
    count_paths,
    depths,
    simple_paths,
)
from kg.reasoning.signed import Effect, Hop, MechanismPath, SignedView, cost_of, effect_of

__all__ = ["Rank", "Tracer"]

Rank = tuple[int, float, int, tuple[str, ...]]


def _rank(path: MechanismPath, base: SignedView) -> Rank:
    """Coherent first, then the highest path score (the lowest cost −log score), then fewest
    hops, then the nodes' ids."""
    return (coh.COHERENCE_RANK[path.coherence], base.path_cost(path), len(path.hops), path.nodes)


class Tracer:
    """One trace query on one signed view."""

    def __init__(
        self,
        base: SignedView,
        query: Query,
        deadline: Deadline,
        ends: tuple[str, str],
        wanted: coh.CoherenceFilter,
    ) -> None:
        self.base, self.query, self.deadline = base, query, deadline
        self.source, self.target = ends
        self.wanted = wanted
        self.reachable: set[int] = set()
        self.open: set[int] = {1, -1}
        self.pool: dict[tuple[str, ...], tuple[Rank, MechanismPath]] = {}
        self.best: dict[int, tuple[str, ...]] = {}
        self.views: list[SignedView] = []
        self._tables: dict[int, Bounds] = {}

    def _table(self, view: SignedView) -> Bounds:
        table = self._tables.get(id(view))
        if table is None:
            table = self._tables[id(view)] = bounds(view, self.query, self.deadline)
        return table

    def _contexts(self, wanted: coh.CoherenceFilter) -> list[SignedView]:
        if self.base.evidence is None:
            return []
        first = [e.hop for s in self.query.sources for e in self.base.out(s)]
        last = [e.hop for t in self.query.targets for e in self.base.into(t)]
        return [self.base.within(*c) for c in coh.candidates(self.base, first, last, wanted)]

    def _add(self, hops: tuple[Hop, ...]) -> tuple[str, ...] | None:
        key = tuple(h.assertion for h in hops)
        if key not in self.pool:
            scores = [self.base.score(h) for h in hops]
            first, last = hops[0].subject, hops[-1].object
            plain = MechanismPath(hops)
            path = coh.annotate(
                self.base,
                MechanismPath(
                    hops,
                    (min(scores), self.base.path_score(plain)),
                    source_kind=None if first == self.source else first,
                    target_kind=None if last == self.target else last,
                ),
            )
            if not coh.admits(self.wanted, path.coherence):
                return None
            self.pool[key] = (_rank(path, self.base), path)
        return key

    def decide(self, limit: int) -> None:
        """Which net effects simple paths reach: the walk bound rules signs out; the top
        ``limit`` paths of each view settle the signs they show, and a best-first search
        for each sign still open finds its best path or proves there is none."""
        self.views = [self.base] if self.wanted == "any" else self._contexts(self.wanted)
        possible: set[int] = set()
        for view in self.views:
            possible |= self._table(view).signs(self.query)
        self.open = set(possible)
        for view in self.views:
            for hops in self._best(view, None, limit):
                self._note(hops)
        for sign in sorted(self.open):
            for view in self.views:
                table = self._table(view)
                if sign in table.signs(self.query):
                    for hops in self._best(view, sign, 1):
                        self._note(hops)
            self.open.discard(sign)

    def _best(self, view: SignedView, sign: int | None, limit: int) -> Iterator[tuple[Hop, ...]]:
        """The top ``limit`` paths of ``view`` by path score (then fewest hops). The search
        yields paths by the product of their hop scores, a bound on their path scores: take
        paths until the ``limit``-th best held ranks no lower than the last one taken (no
        later path can outrank it). When time runs out, what is held is given first."""
        found = best_paths(view, self.query, self._table(view), self.deadline, sign=sign)
        held: list[tuple[tuple[float, int], tuple[Hop, ...]]] = []
        try:
            for hops in found:
                searched = 0.0
                for hop in hops:
                    searched += cost_of(view.score(hop))
                held.append(((view.path_cost(MechanismPath(hops)), len(hops)), hops))
                held.sort(key=lambda item: item[0])
                if len(held) >= limit and held[limit - 1][0] <= (searched, len(hops)):
                    break
        except TimeLimitError:
            yield from (hops for _, hops in held[:limit])
            raise
        yield from (hops for _, hops in held[:limit])

    def _note(self, hops: tuple[Hop, ...]) -> None:
        key = self._add(hops)
        if key is None:
            return
        sign = self.pool[key][1].sign
        self.reachable.add(sign)
        self.open.discard(sign)
        if sign not in self.best or self.pool[key][0] < self.pool[self.best[sign]][0]:
            self.best[sign] = key

    def top(self, limit: int) -> tuple[MechanismPath, ...]:
        """The top ``limit`` paths: with ``--coherence any``, also the best of each study
        and cell type that could support a whole path, so coherent paths rank first."""
        if self.wanted == "any":
            try:
                for view in self._contexts("cell-type"):
                    for hops in self._best(view, None, limit):
                        self._add(hops)
            except TimeLimitError:
                pass  # the net effects are decided; the ranking uses the paths found so far
        return self.top_found(limit)

    def top_found(self, limit: int) -> tuple[MechanismPath, ...]:
        """The best ``limit`` paths found so far, with the best path of each net effect."""
        ranked = sorted(self.pool.values(), key=lambda item: item[0])
        shown = [path for _, path in ranked[:limit]]
        for sign, key in sorted(self.best.items()):
            if any(p.sign == sign for p in shown):
                continue
            if len(shown) < limit:
                shown.append(self.pool[key][1])
                continue
            for i in range(len(shown) - 1, -1, -1):  # replace the worst path of a repeated sign
                if sum(p.sign == shown[i].sign for p in shown) > 1:
                    shown[i] = self.pool[key][1]
                    break
        shown.sort(key=lambda p: _rank(p, self.base))
        return tuple(shown)

    def count(self, limit: int) -> tuple[tuple[Effect, int, bool], ...]:
        """Paths of each reachable net effect as (effect, number, exact), up to ``limit``."""
        counts = []
        for sign in (-1, 1):
            if sign in self.reachable:
                number, exact = self._count(sign, limit)
                counts.append((effect_of(sign), number, exact))
        return tuple(counts)

    def _count(self, sign: int, limit: int) -> tuple[int, bool]:
        if self.wanted == "any":
            try:
                found = count_paths(
                    self.base, self.query, self._table(self.base), self.deadline,
                    sign=sign, limit=limit,
                )  # fmt: skip
            except TimeLimitError:
                return 1, False
            return found, found < limit
        seen: set[tuple[str, ...]] = set()
        try:
            for view in self.views:
                table = self._table(view)
                for hops in simple_paths(view, self.query, table, self.deadline, sign=sign):
                    key = tuple(h.assertion for h in hops)
                    if key in seen or self._add(hops) is None:
                        continue
                    seen.add(key)
                    if len(seen) >= limit:
                        return limit, False
        except TimeLimitError:
            return max(len(seen), 1), False
        return len(seen), True

    def partial_counts(self) -> tuple[tuple[Effect, int, bool], ...]:
        """Counts when the time ran out: at least the paths found."""
        counts = []
        for sign in (-1, 1):
            n = sum(1 for _, p in self.pool.values() if p.sign == sign)
            if n:
                counts.append((effect_of(sign), n, False))
        return tuple(counts)

    def left_out(self) -> tuple[str, ...]:
        """As-printed assertions the filter dropped that lie on a walk from a source to a
        target within the bound (read from the edges the search looked at)."""
        entries = self.base.left_out
        if not entries:
            return ()
        query, table = self.query, self._table(self.base)
        near = {
            key: (u, rest)
            for key, (u, v, _) in entries.items()
            if u not in query.targets and (rest := table.lower(v, None, 0)) < query.max_hops
        }
        if not near:
            return ()
        try:
            depth = depths(self.base, query, self.deadline)
        except TimeLimitError:
            return tuple(sorted(near))  # cannot check the way there: report them all
        return tuple(
            sorted(
                k
                for k, (u, rest) in near.items()
                if depth.get(u, _FAR) + 1 + rest <= query.max_hops
            )
        )
