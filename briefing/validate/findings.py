"""The values validation produces: a finding (rule, severity, where, what, how to fix) and the whole report; and
what every finding of one rule shares."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    location: str
    message: str
    fix: str


@dataclass(frozen=True)
class Rule:
    """A rule as its findings show it: its id, how grave breaking it is, and the one-line fix."""

    id: str
    severity: Severity
    fix: str

    def finding(self, location: str, message: str) -> Finding:
        return Finding(self.id, self.severity, location, message, self.fix)


@dataclass(frozen=True)
class Report:
    source: str
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 on any error (or, when strict, any warning)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [asdict(f) for f in self.findings],
        }
