"""Just enough of a Dockerfile reader to compare its command with what the tests run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    stage: int


def instructions(text: str) -> list[Instruction]:
    """Instructions in order, continuation lines joined, comments dropped; ``stage``
    counts ``FROM`` lines (the final image is the highest)."""
    result: list[Instruction] = []
    stage = -1
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        result.append(Instruction(keyword, arguments.strip(), stage))
    return result


def final_stage(path: Path) -> list[Instruction]:
    found = instructions(path.read_text(encoding="utf-8"))
    last = max(i.stage for i in found)
    return [i for i in found if i.stage == last]


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an exec-form CMD/ENTRYPOINT/HEALTHCHECK CMD (shell form refused:
    it would run under ``sh -c`` and not receive signals)."""
    value = json.loads(arguments)
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ValueError(f"not an exec-form command: {arguments}")
    return value


def command(path: Path) -> list[str]:
    """What the container runs: ENTRYPOINT then CMD of the final stage (the last of each)."""
    stage = final_stage(path)
    entrypoint = [i for i in stage if i.keyword == "ENTRYPOINT"]
    cmd = [i for i in stage if i.keyword == "CMD"]
    argv: list[str] = []
    if entrypoint:
        argv += exec_form(entrypoint[-1].arguments)
    if cmd:
        argv += exec_form(cmd[-1].arguments)
    return argv


def healthcheck(path: Path) -> list[str]:
    """The HEALTHCHECK's command (options such as ``--interval`` dropped)."""
    (check,) = [i for i in final_stage(path) if i.keyword == "HEALTHCHECK"]
    _, _, cmd = check.arguments.partition("CMD ")
    return exec_form(cmd)


def env(path: Path) -> dict[str, str]:
    """The final stage's ENV values (``KEY=value`` form)."""
    values: dict[str, str] = {}
    for i in final_stage(path):
        if i.keyword == "ENV":
            for pair in i.arguments.split():
                key, _, value = pair.partition("=")
                values[key] = value
    return values
