"""Every `sotay` sub-command parser is made by the top-level parser's class, so argument
errors read the same (one Vietnamese line) at every level."""

from __future__ import annotations

import argparse

from cli import build_parser


def _walk(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, type]]:
    found = [(path, type(parser))]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _walk(child, f"{path} {name}")
    return found


def test_every_sub_command_parser_has_the_top_level_class() -> None:
    top = build_parser()
    parsers = _walk(top, "sotay")
    assert len(parsers) > 50  # members, meetings, documents, sync, ... and their commands
    assert {"sotay meetings create", "sotay members list"} <= {path for path, _ in parsers}
    assert [(path, cls) for path, cls in parsers if cls is not type(top)] == []
