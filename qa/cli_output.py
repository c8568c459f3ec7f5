"""How the `qa` command prints: JSON or text for people, JSON lines, and one-line errors.

`emit` prints a result as JSON (`--json`) or with a renderer from qa.render; `each_line`
answers stdin one JSON object per line and turns a bad line into an `error` object;
`one_line` says any expected error in one line. It leaves out the renderers themselves
(qa.render), what each command computes (qa.cli_commands) and exit statuses (qa.cli).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def emit(as_json: bool, value: Any, show: Callable[[Any], None]) -> None:
    """Print a result (a model or a list of models) as JSON, or for people with `show`."""
    if as_json:
        print(_dump(to_jsonable_python(value)))
    else:
        show(value)


def each_line(handle: Callable[[str], dict[str, Any]]) -> int:
    """One JSON object per stdin line; a bad line gets an `error` object and the rest go on."""
    status = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            print(_dump(handle(line)), flush=True)
        except (ValueError, ValidationError) as error:
            print(_dump({"question": _question_of(line), "error": one_line(error)}), flush=True)
            status = 2
    return status


def _question_of(line: str) -> str:
    try:
        request = json.loads(line)
    except json.JSONDecodeError:
        return line.strip()
    return str(request.get("question", "")) if isinstance(request, dict) else str(request)


def one_line(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return " ".join(str(error).split())
