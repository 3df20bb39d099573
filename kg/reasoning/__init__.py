"""Answers from the graph: name resolution, signed path search (trace, upstream, downstream)
and conflicts."""
