"""Showing a validation report: a rich table for people, JSON for machines."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from briefing.validate.findings import Report


def report_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


def summary_line(report: Report) -> str:
    if not report.findings:
        return f"{report.source}: valid, no findings"
    return f"{report.source}: {report.errors} error(s), {report.warnings} warning(s)"


def print_report(report: Report, console: Console) -> None:
    if report.findings:
        table = Table(show_lines=False, expand=False)
        for column in ("severity", "rule", "location", "problem", "fix"):
            table.add_column(column, overflow="fold", no_wrap=column == "rule")
        for finding in report.findings:
            colour = "red" if finding.severity == "error" else "yellow"
            texts = (finding.rule, finding.location, finding.message, finding.fix)  # from the feed: printed as written
            table.add_row(f"[{colour}]{finding.severity}[/]", *(escape(text) for text in texts))
        console.print(table)
    console.print(summary_line(report), soft_wrap=True, markup=False)
