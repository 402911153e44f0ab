"""The spoken-form table (fixtures/spoken_form_table.tsv): sentences of the kinds a Korean tech newsletter prints and
what a news presenter says for them. Its accuracy is printed with the test run; every line the rules were written
from must hold, and the held-out part (kept back while the rules were written) must keep the score it had then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from support.requirements import FIXTURES

from briefing.speech.normalize import normalize

TABLE = FIXTURES / "spoken_form_table.tsv"
PARTS = ("rules", "held-out")
# The held-out part scored 67 of 69 when first run against the finished rules (Pixel and Telecom: the rules write the
# dictionary's unstressed vowel 어 where Korean follows the spelling, 픽셀, 텔레콤).
HELD_OUT_FLOOR = 67 / 69


@dataclass(frozen=True)
class Row:
    line: int
    part: str
    written: str
    spoken: tuple[str, ...]  # alternatives


def table() -> list[Row]:
    rows = []
    for number, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        assert len(columns) == 3 and columns[0] in PARTS, f"{TABLE.name}:{number}: part, written, spoken"
        part, written, spoken = columns
        rows.append(Row(number, part, written, tuple(form.strip() for form in spoken.split(" | "))))
    return rows


def said_the_same(spoken: str, expected: tuple[str, ...]) -> bool:
    """Spaces are not compared: 삼 분기 and 삼분기 are said alike."""
    without_spaces = re.sub(r"\s+", "", spoken)
    return any(without_spaces == re.sub(r"\s+", "", form) for form in expected)


def test_the_table_is_large_varied_and_has_a_held_out_part():
    rows = table()
    assert len(rows) >= 200
    assert sum(row.part == "held-out" for row in rows) >= 50
    assert len({row.written for row in rows}) == len(rows), "a sentence is listed twice"


def test_the_table_is_said_as_written_down(capsys):
    rows = table()
    misses = {part: [] for part in PARTS}
    counts = {part: 0 for part in PARTS}
    for row in rows:
        counts[row.part] += 1
        spoken = normalize(row.written)
        if not said_the_same(spoken, row.spoken):
            misses[row.part].append(f"{TABLE.name}:{row.line}: {row.written!r} → {spoken!r}, not {row.spoken[0]!r}")
    right = {part: counts[part] - len(misses[part]) for part in PARTS}
    total, total_right = sum(counts.values()), sum(right.values())
    with capsys.disabled():
        print(
            f"\nspoken-form table: {total_right}/{total} said right ({total_right / total:.1%}); "
            f"rules {right['rules']}/{counts['rules']}, held-out {right['held-out']}/{counts['held-out']} "
            f"({right['held-out'] / counts['held-out']:.1%})"
        )
        for miss in misses["held-out"]:
            print(f"  held-out miss {miss}")
    assert not misses["rules"], "\n".join(misses["rules"])
    assert right["held-out"] / counts["held-out"] >= HELD_OUT_FLOOR, "\n".join(misses["held-out"])


def test_no_digit_han_or_latin_letter_is_left_in_any_table_line():
    left = [
        (row.written, spoken)
        for row in table()
        if re.search(r"[0-9A-Za-z\u4e00-\u9fff]", spoken := normalize(row.written))
    ]
    assert not left
