"""Text of one planned cable, and the two output forms (dump csv, mirror txt)."""

from __future__ import annotations

import csv
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

from cables.parsing.months import MONTH_ABBREVIATIONS
from cables.parsing.routing import PARTIAL_NOTICE

from .plan import Plan
from .templates import Template

DUMP_CLASSIFICATION = {"UNCLASSIFIED//FOUO": "UNCLASSIFIED//FOR OFFICIAL USE ONLY"}
_CUMULATIVE_DAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _yday(year: int, month: int, day: int) -> int:
    leap = month > 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _CUMULATIVE_DAYS[month - 1] + day + leap


class Renderer:
    def __init__(self, plan: Plan, templates: list[Template], seed: int):
        self.plan = plan
        self.templates = templates
        self.rng = random.Random(f"render-{seed}")

    def ref_item(self, i: int, target: int) -> str:
        plan = self.plan
        station = plan.stations[plan.station[target]]
        text = f"{station.spelling} {plan.serial[target]}"
        if plan.year[target] != plan.year[i]:
            text = f"{plan.year[target] % 100:02d} {text}"
        if self.rng.random() < 0.05:
            text += " (NOTAL)"
        return text

    def ref_block(self, i: int) -> str:
        items = [self.ref_item(i, t) for t in self.plan.cites[i]]
        if not items:
            return ""
        roll = self.rng.random()
        if len(items) == 1:
            if roll < 0.8:
                return f"REF: {items[0]}"
            return f"REF: A. {items[0]}"
        letters = "ABCD"
        if roll < 0.35:
            return "REF: " + " ".join(f"{letters[n]}. {t}" for n, t in enumerate(items))
        if roll < 0.55:
            return "REFS: " + " ".join(f"{letters[n]}) {t}" for n, t in enumerate(items))
        if roll < 0.70:
            return "REF: " + " ".join(f"({letters[n]}) {t}" for n, t in enumerate(items))
        return "REF: " + "\n     ".join(f"{letters[n]}. {t}" for n, t in enumerate(items))

    def render(self, i: int) -> tuple[str, str, Template]:
        """(header, body) of cable ``i``; the header is "" for a partial extract."""
        plan = self.plan
        template = self.templates[plan.template[i]]
        station = plan.stations[plan.station[i]]
        year, month, day = plan.year[i], plan.month[i], plan.day[i]
        hour, minute, serial = plan.hour[i], plan.minute[i], plan.serial[i]
        mon = MONTH_ABBREVIATIONS[month - 1]
        dtg = f"{day:02d}{hour:02d}{minute:02d}Z {mon} {year % 100:02d}"
        ref: str | None = None

        def fill(parts: list) -> str:
            nonlocal ref
            out = []
            for part in parts:
                if part.__class__ is str:
                    out.append(part)
                    continue
                kind = part[0]
                if kind == "st":
                    out.append(station.spelling)
                elif kind == "ser":
                    out.append(f"{serial:0{part[1]}d}")
                elif kind == "dtg":
                    out.append(dtg if not part[1] else dtg.replace(mon, mon.title()))
                elif kind == "de":
                    out.append(f"{serial % 10 ** part[1]:0{part[1]}d}")
                elif kind == "ri":
                    out.append(station.ri or part[1])
                elif kind == "jul":
                    out.append(f"{_yday(year, month, day):03d}{hour:02d}{minute:02d}")
                elif kind == "fm":
                    out.append(station.fm)
                elif kind == "iso":
                    out.append(f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}")
                elif kind == "decl":
                    decl_year = str(year + part[1])[-part[2] :]
                    out.append(f"{month:02d}/{day:02d}/{decl_year}")
                elif kind == "ref":
                    if ref is None:
                        ref = self.ref_block(i)
                    out.append(ref)
            return "".join(out)

        header = "" if template.partial else fill(template.header)
        return header, fill(template.body), template


def _dump_field(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'") + '"'


def write(
    plan: Plan,
    templates: list[Template],
    out: Path,
    formats: set[str],
    seed: int,
    released: list[str],
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the corpus; returns the bytes written per form."""
    out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer(plan, templates, seed)
    released_rng = random.Random(f"released-{seed}")
    dump = None
    txt_dir = out / "txt"
    sizes = {"csv": 0, "txt": 0}
    if "csv" in formats:
        dump = (out / "cables.csv").open("w", encoding="utf-8", newline="", buffering=1 << 20)
    meta_file = None
    meta = None
    if "txt" in formats:
        if txt_dir.exists():
            shutil.rmtree(txt_dir)
        txt_dir.mkdir()
        meta_file = (txt_dir / "metadata.csv").open("w", encoding="utf-8", newline="")
        meta = csv.writer(meta_file, lineterminator="\n")
        meta.writerow(
            ["reference_id", "created", "released", "classification", "origin", "partial"]
        )
    txt_path = str(txt_dir) + os.sep
    try:
        for i in range(len(plan.year)):
            header, body, template = renderer.render(i)
            ident = plan.ident(i)
            station = plan.stations[plan.station[i]]
            if dump is not None:
                row = (
                    ",".join(
                        (
                            f'"{i + 1}"',
                            f'"{plan.month[i]}/{plan.day[i]}/{plan.year[i]} '
                            f'{plan.hour[i]}:{plan.minute[i]:02d}"',
                            f'"{ident}"',
                            _dump_field(station.origin),
                            _dump_field(
                                DUMP_CLASSIFICATION.get(
                                    template.classification, template.classification
                                )
                            ),
                            '"' + "|".join(plan.ident(t) for t in plan.cites[i]) + '"',
                            _dump_field(header),
                            _dump_field(body),
                        )
                    )
                    + "\n"
                )
                dump.write(row)
                sizes["csv"] += len(row.encode("utf-8"))
            if meta is not None:
                text = (PARTIAL_NOTICE if template.partial else header) + template.sep + body
                data = text.encode("utf-8")
                with open(txt_path + ident + ".txt", "wb") as f:
                    f.write(data)
                sizes["txt"] += len(data)
                meta.writerow(
                    [
                        ident,
                        f"{plan.year[i]}-{plan.month[i]:02d}-{plan.day[i]:02d} "
                        f"{plan.hour[i]:02d}:{plan.minute[i]:02d}",
                        released_rng.choice(released),
                        template.classification,
                        station.origin,
                        "true" if template.partial else "false",
                    ]
                )
            if progress is not None and (i + 1) % 10000 == 0:
                progress(i + 1)
    finally:
        if dump is not None:
            dump.close()
        if meta_file is not None:
            meta_file.close()
            sizes["txt"] += (txt_dir / "metadata.csv").stat().st_size
    return sizes
