"""What the planner answers: sessions with counts per group, the weeks it takes, the certified
lower bounds, the bottlenecks and any people it could not plan, each with a code and figures so the
app can say it in the reader's language (the ``text`` fields are the English wording for the
command line)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class PlannedSession:
    week: int
    halfday: int
    region: str
    language: str
    instructor: str
    # Which of the region's rooms (0 .. rooms - 1): no two sessions share one on a half-day.
    room: int
    # People per group key ``unit|language|pilot`` (see instance.group_key).
    attendees: Mapping[str, int]
    # True for a session of instance.fixed_sessions: ``attendees`` are then only the people added.
    fixed: bool = False

    @property
    def size(self) -> int:
        return sum(self.attendees.values())


@dataclass(frozen=True)
class Bottleneck:
    """A resource that binds, with the figures of the sentence that explains it, e.g. ``{"kind":
    "region-language", "region": "MON", "language": "fr", "sessions": 154, "instructors": 2,
    "per_week": 4, "weeks": 39}`` → "Mons, French: 154 sessions, 2 instructors, 4 sessions a week ⇒
    at least 39 weeks"."""

    kind: str
    figures: Mapping[str, Any]
    text: str


@dataclass(frozen=True)
class Problem:
    """People the planner cannot place, and why: ``kind`` is for example ``no-instructor``
    (nobody teaches that language in that region) or ``no-room``; ``figures`` hold region,
    language and number of people."""

    kind: str
    figures: Mapping[str, Any]
    text: str


@dataclass(frozen=True)
class WhatIf:
    """One change to the resources and what it would give: ``kind`` is ``instructor`` (one more
    for a region and language), ``halfday`` (one more weekly half-day for an instructor) or
    ``room`` (one more room in a region)."""

    kind: str
    figures: Mapping[str, Any]
    weeks: int
    pilot_weeks: int
    saves_weeks: int
    text: str


@dataclass(frozen=True)
class Plan:
    method: str  # "cp-sat" or "baseline"
    status: str  # "optimal", "feasible" (time limit hit, gap may be above 0), "partial" (problems)
    weeks: int
    pilot_weeks: int
    lower_bound_weeks: int
    lower_bound_pilot_weeks: int
    sessions: tuple[PlannedSession, ...]
    bottlenecks: tuple[Bottleneck, ...] = ()
    problems: tuple[Problem, ...] = ()
    solve_seconds: float = 0.0
    what_ifs: tuple[WhatIf, ...] = field(default=())

    @property
    def gap_weeks(self) -> int:
        return self.weeks - self.lower_bound_weeks

    @property
    def gap_pilot_weeks(self) -> int:
        return self.pilot_weeks - self.lower_bound_pilot_weeks

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the command line prints and the app stores."""
        return {
            "method": self.method,
            "status": self.status,
            "weeks": self.weeks,
            "pilot_weeks": self.pilot_weeks,
            "lower_bound": {"weeks": self.lower_bound_weeks, "pilot_weeks": self.lower_bound_pilot_weeks},
            "gap": {"weeks": self.gap_weeks, "pilot_weeks": self.gap_pilot_weeks},
            "session_count": len([s for s in self.sessions if not s.fixed]),
            "solve_seconds": round(self.solve_seconds, 3),
            "sessions": [
                {**asdict(s), "attendees": dict(sorted(s.attendees.items()))}
                for s in sorted(self.sessions, key=lambda s: (s.week, s.halfday, s.region, s.room))
            ],
            "bottlenecks": [{"kind": b.kind, **dict(b.figures), "text": b.text} for b in self.bottlenecks],
            "problems": [{"kind": p.kind, **dict(p.figures), "text": p.text} for p in self.problems],
            "what_ifs": [
                {
                    "kind": w.kind,
                    **dict(w.figures),
                    "weeks": w.weeks,
                    "pilot_weeks": w.pilot_weeks,
                    "saves_weeks": w.saves_weeks,
                    "text": w.text,
                }
                for w in self.what_ifs
            ],
        }


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    """Read back what ``Plan.to_dict`` wrote (the app stores the JSON and the verifier reads it)."""

    def split(item: Mapping[str, Any], keep: set[str]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if k not in keep}

    return Plan(
        method=data["method"],
        status=data["status"],
        weeks=int(data["weeks"]),
        pilot_weeks=int(data["pilot_weeks"]),
        lower_bound_weeks=int(data["lower_bound"]["weeks"]),
        lower_bound_pilot_weeks=int(data["lower_bound"]["pilot_weeks"]),
        sessions=tuple(
            PlannedSession(
                week=int(s["week"]),
                halfday=int(s["halfday"]),
                region=str(s["region"]),
                language=str(s["language"]),
                instructor=str(s["instructor"]),
                room=int(s["room"]),
                attendees={str(k): int(v) for k, v in s["attendees"].items()},
                fixed=bool(s.get("fixed", False)),
            )
            for s in data["sessions"]
        ),
        bottlenecks=tuple(
            Bottleneck(kind=b["kind"], figures=split(b, {"kind", "text"}), text=b["text"])
            for b in data.get("bottlenecks", [])
        ),
        problems=tuple(
            Problem(kind=p["kind"], figures=split(p, {"kind", "text"}), text=p["text"])
            for p in data.get("problems", [])
        ),
        solve_seconds=float(data.get("solve_seconds", 0.0)),
        what_ifs=tuple(
            WhatIf(
                kind=w["kind"],
                figures=split(w, {"kind", "weeks", "pilot_weeks", "saves_weeks", "text"}),
                weeks=int(w["weeks"]),
                pilot_weeks=int(w["pilot_weeks"]),
                saves_weeks=int(w["saves_weeks"]),
                text=w["text"],
            )
            for w in data.get("what_ifs", [])
        ),
    )
