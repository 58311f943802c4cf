"""The safe YAML loader: a tree of located nodes, never Python objects.

Content comes from translators and is untrusted. PyYAML's ``safe_load`` still
expands alias bombs, keeps the last of two duplicate keys and reads ``no`` as
False, and it forgets where each value stood. So we only *compose* the YAML
(no construction), refuse aliases, anchors, explicit tags and duplicate keys,
and hand on a tree where every node keeps its line and column. Deciding what a
scalar means is left to validation, which knows whether it expects text.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from .errors import ContentError, Origin, Problem, UnsafeFile
from .files import read_limited

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40


@dataclass(frozen=True)
class Scalar:
    text: str
    origin: Origin
    plain: bool  # written without quotes, so YAML's implicit typing applies
    tag: str  # the type YAML would give it, e.g. "int", "bool", "str", "null"


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    origin: Origin


@dataclass(frozen=True)
class Mapping:
    entries: dict[str, Node]
    key_origins: dict[str, Origin] = field(default_factory=dict)
    origin: Origin = Origin(Path("."))


Node = Scalar | Sequence | Mapping


def kind_of(node: Node) -> str:
    """A user-facing name for what a node is."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return {
        "int": "a number",
        "float": "a number",
        "bool": "a yes/no value",
        "null": "nothing",
        "timestamp": "a date",
    }.get(node.tag, "text")


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


class _StrictComposer(yaml.SafeLoader):
    """PyYAML's safe composer, refusing the features untrusted content has no use for."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's stubs leave the parser untyped
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(cast(yaml.Mark, event.start_mark),  # an event from the parser always has its mark
                           "YAML aliases (*name) are not allowed: write the value out in full")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "YAML anchors (&name) are not allowed: write the value out in full")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise _Refused(event.start_mark, f"YAML tags such as '{tag}' are not allowed")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _origin(path: Path, mark: yaml.Mark) -> Origin:
    return Origin(path, mark.line + 1, mark.column + 1)


def _short_tag(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


_HALF_CHARACTER = re.compile("[\ud800-\udfff]")


def _convert(node: yaml.Node, path: Path) -> Node:
    origin = _origin(path, node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        found = _HALF_CHARACTER.search(node.value)
        if found is not None:
            half = found.group()  # only an escape can write one: "\ud800" is half of a character, not a character
            raise ContentError([Problem(origin, f"the text holds U+{ord(half):04X}, half of a character (an escape "
                                                "such as \\ud800 on its own); write the character itself")])
        text = unicodedata.normalize("NFC", node.value)
        return Scalar(text, origin, plain=not node.style, tag=_short_tag(node.tag))
    if isinstance(node, yaml.SequenceNode):
        return Sequence(tuple(_convert(item, path) for item in node.value), origin)
    entries: dict[str, Node] = {}
    key_origins: dict[str, Origin] = {}
    for key_node, value_node in node.value:
        key_origin = _origin(path, key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            raise ContentError([Problem(key_origin, "a key must be a plain word, not a list or mapping")])
        key = key_node.value
        if key in entries:
            first = key_origins[key]
            raise ContentError([Problem(key_origin, f"duplicate key '{key}' (first given on line {first.line})")])
        entries[key] = _convert(value_node, path)
        key_origins[key] = key_origin
    return Mapping(entries, key_origins, origin)


def _origin_at(text: str | bytes, offset: int, path: Path) -> Origin:
    """The line and column of a position in a file's text (or bytes)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    before = text[:offset]
    return Origin(path, before.count(newline) + 1, offset - (before.rfind(newline) + 1) + 1)  # type: ignore[arg-type]


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32, told by the byte-order mark some editors write, or by zero bytes between letters."""
    for mark, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                       (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(mark):
            return name
    start = data[:64]
    if len(start) < 8:
        return None
    for letters, zeros in ((start[0::2], start[1::2]), (start[1::2], start[0::2])):  # little or big end first
        if zeros.count(0) >= 0.8 * len(zeros) and letters.count(0) <= 0.2 * len(letters):
            return "UTF-16"  # Latin letters in UTF-16: every other byte is 0
    return None


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text, with the position of the first bad byte if it is not."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    wide = _wide_encoding(data)
    if wide:
        raise ContentError([Problem(Origin(path, 1, 1), f"the file is {wide} text, not UTF-8; save it as UTF-8 "
                                                        "(in most editors: Save As, then the encoding UTF-8)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Problem(_origin_at(data, exc.start, path),
                     f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8")]
        ) from None


def _plain_yaml_message(problem: str, context: str) -> str:
    """PyYAML's words for the mistakes translators make most, said plainly."""
    if "'\\t'" in problem:
        return "a tab character here: indent with spaces, not tabs"
    if problem.startswith("mapping values are not allowed"):
        return f"{problem}: a ': ' inside text here; put the whole text in quotes"
    if (problem.startswith(("expected <block end>", "expected a mapping", "did not find expected key"))
            or "block mapping" in context):
        return (f"{problem} (check the indentation: this line, or the one above it, has more or fewer spaces "
                "at the start than the lines it belongs with)")
    return problem


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: Path) -> Problem:
    """Where and what the mistake is. A quote left open is found where it opens: YAML reads on to the next quote,
    however many lines below, and only fails there."""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        return Problem(_origin(path, exc.context_mark), "YAML syntax error: this quote is never closed; close it")
    mark = exc.problem_mark or exc.context_mark
    opened = _quote_run_on_to(text, mark.index) if mark is not None else None
    if opened is not None and mark is not None:
        return Problem(_origin(path, opened), f"YAML syntax error: the text in quotes that starts here runs on to "
                                              f"line {mark.line + 1}, the next quote; close the quote on this line")
    message = _plain_yaml_message(exc.problem or exc.context or "invalid YAML", exc.context or "")
    return Problem(_origin(path, mark) if mark else Origin(path), f"YAML syntax error: {message}")


def _quote_run_on_to(text: str, index: int) -> yaml.Mark | None:
    """The start of a quoted text that spans lines and ends right before ``index``, where YAML failed."""
    previous = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            previous = token
    except yaml.YAMLError:
        pass
    if (isinstance(previous, yaml.ScalarToken) and previous.style in ('"', "'")
            and previous.end_mark.line > previous.start_mark.line):
        start: yaml.Mark = previous.start_mark
        return start
    return None


_C_PARSER: Any = getattr(importlib.import_module("yaml.cyaml"), "CParser", None) if yaml.__with_libyaml__ else None


# An anchor is '&' and a tag '!' with a character after it that is not a space ("Suicide & Crisis" is neither).
_ANCHOR_OR_TAG = re.compile(r"[&!]\S")


def _compose_quickly(text: str) -> yaml.Node | None:
    """The same strict composition, on libyaml's C parser (several times faster than PyYAML's own scanner).

    Any trouble at all (a syntax error, a refused feature, no libyaml) returns None, and ``parse`` composes
    again the careful way, which gives every message its usual wording and position.
    """
    if _C_PARSER is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None  # (libyaml lets through characters PyYAML's reader refuses: the careful path says which)
    try:
        if _ANCHOR_OR_TAG.search(text):  # there may be an anchor or a tag: our composer refuses them, event by event
            loader = _quick_strict()(text)
            compose = yaml.composer.Composer.get_single_node
        else:
            # With no anchor an alias is an error, and with no tag there is nothing else to refuse: libyaml's own
            # composer (in C, its nesting bounded by libyaml) makes the same nodes; the depth is checked after.
            loader = yaml.CSafeLoader(text)  # composing only: nothing is constructed from the nodes
            compose = _C_PARSER.get_single_node
        try:
            node: yaml.Node | None = compose(loader)
        finally:
            loader.dispose()
    except Exception:  # the careful path reports it
        return None
    return node if node is None or _depth_within_limit(node) else None


def _depth_within_limit(root: yaml.Node) -> bool:
    """Whether no node lies deeper than MAX_DEPTH, counted as our composer counts (the document's node is 1)."""
    pending: list[tuple[yaml.Node, int]] = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, yaml.SequenceNode):
            pending.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending.extend(((key, depth + 1), (value, depth + 1)))
    return True


@functools.cache
def _quick_strict() -> Any:
    """Our strict composer over libyaml's events (made once: only where libyaml is installed)."""

    class QuickStrict(_C_PARSER, _StrictComposer):  # type: ignore[misc]  # libyaml's events (untyped)
        def __init__(self, stream: str):
            _C_PARSER.__init__(self, stream)
            yaml.resolver.Resolver.__init__(self)
            self._depth = 0
            self.anchors: dict[str, yaml.Node] = {}

    return QuickStrict


LINE_SEPARATORS = re.compile("[\u0085\u2028\u2029]")


def parse(text: str, path: Path) -> Node:
    """Compose one YAML document into located nodes, or raise ContentError."""
    separator = LINE_SEPARATORS.search(text)
    if separator is not None:  # YAML takes them for line breaks, and then reports a confusing error further on
        origin = _origin_at(text, separator.start(), path)
        raise ContentError([Problem(origin, f"a line separator character U+{ord(separator.group()):04X}, which "
                                            "YAML reads as a line break; delete it (press Enter for a new line)")])
    quick = _compose_quickly(text)
    if quick is not None:
        return _convert(quick, path)
    try:
        loader = _StrictComposer(text)  # PyYAML checks for unprintable characters here
    except yaml.reader.ReaderError as exc:
        origin = _origin_at(text, exc.position, path)
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise ContentError(
            [Problem(origin, f"a control character U+{ord(character):04X} that YAML does not allow; delete it")]
        ) from None
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise ContentError([Problem(_origin(path, exc.mark), exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_syntax_problem(exc, text, path)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(Origin(path), f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError([Problem(Origin(path, 1, 1), "the file is empty")])
    return _convert(node, path)


def load_file(path: Path) -> Node:
    """Read, decode and compose one YAML file, refusing anything oversized or unsafe."""
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        raise ContentError([Problem(Origin(path), f"the file {exc}")]) from None
    except OSError as exc:
        raise ContentError([Problem(Origin(path), f"cannot read the file: {exc.strerror}")]) from None
    return parse(decode(data, path), path)


def read_title(path: Path) -> str | None:
    """A file's top-level ``title``, read quickly with libyaml for listings (see ``read_fields``)."""
    title = read_fields(path, ("title",)).get("title")
    return title if isinstance(title, str) else None


def read_fields(path: Path, names: tuple[str, ...]) -> dict[str, str | list[str]]:
    """Top-level fields of a file that are a string or a list of strings, read quickly with libyaml's parser.

    Fields it cannot read this way (a YAML error, another shape) are left out: the caller
    then reads the file with ``load_file``, which locates the problem. Nothing is expanded here.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # without libyaml, the same events more slowly
    try:
        return _top_level_fields(yaml.parse(decode(read_limited(path, MAX_FILE_BYTES), path), Loader=loader),
                                 set(names))
    except (OSError, UnsafeFile, ContentError, yaml.YAMLError, RecursionError):
        return {}


def _top_level_fields(events: Iterator[yaml.Event], wanted: set[str]) -> dict[str, str | list[str]]:
    """Walk the parser's events only until every wanted top-level field has been seen."""
    found: dict[str, str | list[str]] = {}
    first = [next(events, None) for _ in range(3)]  # stream start, document start, the top mapping
    if not isinstance(first[2], yaml.MappingStartEvent):
        return found
    while wanted - found.keys():
        key = next(events, None)
        if not isinstance(key, yaml.ScalarEvent):
            return found  # the mapping's end, or a key that is not plain text
        value = next(events, None)
        if isinstance(value, yaml.ScalarEvent):
            if key.value in wanted:
                found[key.value] = unicodedata.normalize("NFC", value.value)
        elif isinstance(value, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            items, depth, plain = [], 1, isinstance(value, yaml.SequenceStartEvent)
            for event in events:
                if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    depth, plain = depth + 1, False
                elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    depth -= 1
                    if depth == 0:
                        break
                elif isinstance(event, yaml.ScalarEvent) and depth == 1:
                    items.append(unicodedata.normalize("NFC", event.value))
                else:
                    plain = False
            if key.value in wanted and plain:
                found[key.value] = items
        else:
            return found  # an alias: the careful reader decides
    return found
