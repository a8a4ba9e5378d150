"""A small parser for the subset of Mermaid flowcharts a learner draws, and the graph questions on it.

Supported: a ``flowchart``/``graph`` header with a direction; one statement per line (or several
separated by ``;``); nodes ``id``, ``id[text]``, ``id(text)``, ``id([text])``, ``id[[text]]``,
``id[(text)]``, ``id((text))``, ``id{text}`` (a decision), ``id{{text}}``, ``id>text]``, texts
optionally in double quotes; links ``-->``, ``---``, ``-.->``, ``==>`` (any length, ``o``/``x``
heads) with a label as ``-->|text|`` or ``-- text -->`` / ``-. text .->`` / ``== text ==>``;
chains ``a --> b --> c`` and ``a & b --> c``; ``%%`` comments. Styling and grouping statements
(``subgraph``/``end``, ``classDef``, ``class``, ``style``, ``linkStyle``, ``click``,
``direction``) are accepted and ignored. Anything else is a :class:`MermaidError` naming the line.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

_HEADER = re.compile(r"^(flowchart|graph)(\s+(TD|TB|BT|LR|RL))?\s*$", re.IGNORECASE)
_IGNORED = re.compile(r"^(subgraph|end|classDef|class|style|linkStyle|click|direction)\b")
_ID = r"[\w\u4e00-\u9fff-]+?"
# shapes, longest openers first: (opener, closer, is a decision)
_SHAPES = [("([", "])", False), ("[[", "]]", False), ("[(", ")]", False), ("((", "))", False),
           ("{{", "}}", False), ("[", "]", False), ("(", ")", False), ("{", "}", True), (">", "]", False)]
_NODE = re.compile(r"\s*(" + _ID + r")(?=[\s\[\(\{>&;]|-->|---|-\.|==|$)")
_LINK = re.compile(
    r"\s*(?:"
    r"(?P<mid_open>--|==|-\.)\s+(?P<mid>[^|>]+?)\s+(?P<mid_close>-{2,}[>ox]?|={2,}[>ox]?|\.-+[>ox]?)"
    r"|(?P<arrow><?(?:-{2,}[>ox]?|={2,}[>ox]?|-\.+-[>ox]?))(?:\s*\|(?P<label>[^|]*)\|)?"
    r")\s*")


class MermaidError(ValueError):
    """The text is not a flowchart of the supported subset; ``line`` is 1-based (0: the whole text)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Node:
    """A node: its id, its text (the id when none is given) and whether it is a decision (``{…}``)."""

    id: str
    text: str
    decision: bool = False


@dataclass(frozen=True)
class Edge:
    """A link from ``source`` to ``target`` with its label ('' when unlabelled)."""

    source: str
    target: str
    label: str = ""


@dataclass
class Flowchart:
    """The nodes (by id, in order of first appearance) and the links of a flowchart."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def outgoing(self, node: str) -> list[Edge]:
        """The links leaving ``node``."""
        return [e for e in self.edges if e.source == node]

    def ends(self) -> set[str]:
        """Nodes no link leaves: where a path stops."""
        return set(self.nodes) - {e.source for e in self.edges}

    def starts(self) -> set[str]:
        """Nodes no link enters (the first node when every node has a link into it)."""
        entered = {e.target for e in self.edges}
        found = set(self.nodes) - entered
        return found or ({next(iter(self.nodes))} if self.nodes else set())

    def reachable(self, start: str) -> set[str]:
        """Every node a path from ``start`` reaches (``start`` included)."""
        seen, todo = {start}, deque([start])
        while todo:
            for edge in self.outgoing(todo.popleft()):
                if edge.target not in seen:
                    seen.add(edge.target)
                    todo.append(edge.target)
        return seen

    def decisions(self) -> list[Node]:
        """The decision nodes (``{…}``)."""
        return [n for n in self.nodes.values() if n.decision]


def _strip_quotes(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text.strip()


def _node(statement: str, pos: int, chart: Flowchart, line: int) -> tuple[str, int]:
    match = _NODE.match(statement, pos)
    if not match:
        raise MermaidError(line, f"expected a node at «{statement[pos:].strip()[:30]}»")
    node_id, pos = match.group(1), match.end()
    text, decision = None, False
    for opener, closer, is_decision in _SHAPES:
        if statement.startswith(opener, pos):
            close = statement.find(closer, pos + len(opener))
            if close < 0:
                raise MermaidError(line, f"node {node_id}: «{opener}» is never closed with «{closer}»")
            text, decision = _strip_quotes(statement[pos + len(opener):close]), is_decision
            pos = close + len(closer)
            break
    known = chart.nodes.get(node_id)
    if text is not None or known is None:
        chart.nodes[node_id] = Node(node_id, text if text is not None else node_id,
                                    decision or (known.decision if known and text is None else False))
    return node_id, pos


def _group(statement: str, pos: int, chart: Flowchart, line: int) -> tuple[list[str], int]:
    """``a`` or ``a & b & …``."""
    ids = []
    while True:
        node_id, pos = _node(statement, pos, chart, line)
        ids.append(node_id)
        amp = re.compile(r"\s*&\s*").match(statement, pos)
        if not amp:
            return ids, pos
        pos = amp.end()


def _statement(statement: str, chart: Flowchart, line: int) -> None:
    sources, pos = _group(statement, 0, chart, line)
    while pos < len(statement.rstrip()):
        link = _LINK.match(statement, pos)
        if not link or link.end() == pos:
            raise MermaidError(line, f"expected a link such as --> at «{statement[pos:].strip()[:30]}»")
        label = _strip_quotes(link.group("mid") or link.group("label") or "")
        targets, pos = _group(statement, link.end(), chart, line)
        chart.edges += [Edge(s, t, label) for s in sources for t in targets]
        sources = targets


def parse(text: str) -> Flowchart:
    """Parse ``text`` (the Mermaid source, with or without a ```mermaid fence) into a :class:`Flowchart`."""
    lines = text.strip().splitlines()
    if lines and lines[0].strip().startswith("```"):
        lines = lines[1:-1] if lines[-1].strip() == "```" else lines[1:]
    numbered = [(n, raw.split("%%", 1)[0].strip()) for n, raw in enumerate(lines, 1)]
    numbered = [(n, s) for n, s in numbered if s]
    if numbered and ";" in numbered[0][1]:  # "flowchart LR; a --> b" on one line
        header, rest = numbered[0][1].split(";", 1)
        numbered[0:1] = [(numbered[0][0], header.strip()), (numbered[0][0], rest)]
    if not numbered or not _HEADER.match(numbered[0][1]):
        raise MermaidError(numbered[0][0] if numbered else 0,
                           "a flowchart starts with «flowchart TD» (or graph/LR/…)")
    chart = Flowchart()
    for line, source in numbered[1:]:
        for statement in (s.strip() for s in source.split(";")):
            if statement and not _IGNORED.match(statement):
                _statement(statement, chart, line)
    if not chart.nodes:
        raise MermaidError(0, "the flowchart has no nodes")
    return chart
