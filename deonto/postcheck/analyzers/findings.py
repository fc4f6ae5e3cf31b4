"""The vocabulary every analyzer answers in: categories, severities, findings and the analysis."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Category(enum.StrEnum):
    PERSONAL_DATA = "personal-data"
    OPERATIONAL = "operational"
    IDENTIFIES_OFFICER = "identifies-officer"
    WEAPON = "weapon"
    LOCATION = "location"
    EMPLOYER_CRITICISM = "employer-criticism"
    POLITICAL = "political"
    HARASSMENT_OR_HATE = "harassment-or-hate"
    INTERNAL_DOCUMENT = "internal-document"


class Severity(enum.StrEnum):
    """How serious a finding is; ordered, so `max()` and `>=` compare by weight."""

    INFO = "info"
    WARNING = "warning"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.HIGH: 2}

SOURCES = frozenset({"text", "photo-text", "photo-metadata", "photo-content", "photo-code"})


@dataclass(frozen=True)
class Finding:
    """One thing that could go wrong, with why (explanation) and how to fix it (advice), in the user's language.

    `span` is a pair of character offsets in the analysed text; `box` is (x, y, width, height) in the
    original photo's pixels. `excerpt` is the matched text, for highlighting only: it is never stored.
    """

    category: Category
    severity: Severity
    rule: str
    explanation: str
    advice: str
    article: str | None
    source: str
    span: tuple[int, int] | None = None
    box: tuple[int, int, int, int] | None = None
    excerpt: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": str(self.category),
            "severity": str(self.severity),
            "rule": self.rule,
            "explanation": self.explanation,
            "advice": self.advice,
            "article": self.article,
            "source": self.source,
            "span": list(self.span) if self.span is not None else None,
            "box": list(self.box) if self.box is not None else None,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class PhotoMetadata:
    """What the photo's EXIF/XMP says about where, when and with what it was taken."""

    latitude: float | None = None
    longitude: float | None = None
    taken_at: str | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    camera_serial: str | None = None
    software: str | None = None

    @property
    def is_empty(self) -> bool:
        return all(value is None for value in asdict(self).values())

    @property
    def camera(self) -> str | None:
        """Make and model as people say them: "Canon EOS R6", not "Canon Canon EOS R6" (many makers repeat their
        name in the model), "Apple iPhone 15"."""
        make, model = self.camera_make, self.camera_model
        maker = (make or "").casefold().split()[:1]
        if maker and model and model.casefold().startswith(maker[0]):
            return model
        return " ".join(part for part in (make, model) if part) or None


@dataclass(frozen=True)
class DetectedCode:
    """A QR code or barcode read in the photo."""

    kind: str
    text: str
    box: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class PhotoReport:
    width: int
    height: int
    format: str
    metadata: PhotoMetadata = field(default_factory=PhotoMetadata)
    face_boxes: tuple[tuple[int, int, int, int], ...] = ()
    codes: tuple[DetectedCode, ...] = ()
    ocr_text: str = ""
    findings: tuple[Finding, ...] = ()
    preview: bytes = field(default=b"", repr=False)
    """A small upright JPEG of the photo without metadata, to show where the findings are (only if asked)."""

    @property
    def faces(self) -> int:
        return len(self.face_boxes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "metadata": asdict(self.metadata),
            "faces": self.faces,
            "face_boxes": [list(box) for box in self.face_boxes],
            "codes": [
                {"kind": code.kind, "text": code.text, "box": list(code.box) if code.box else None}
                for code in self.codes
            ],
            "ocr_text": self.ocr_text,
            "findings": [finding.to_dict() for finding in self.findings],
        }


@dataclass(frozen=True)
class Analysis:
    language: str
    language_confidence: float
    findings: list[Finding]
    photo: PhotoReport | None = None

    @property
    def categories(self) -> set[Category]:
        return {finding.category for finding in self.findings}

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON: language, findings, and the photo report when a photo was analysed."""
        result: dict[str, Any] = {
            "language": self.language,
            "language_confidence": round(self.language_confidence, 3),
            "findings": [finding.to_dict() for finding in self.findings],
        }
        if self.photo is not None:
            result["photo"] = self.photo.to_dict()
        return result


INPUT_REJECTED_CODES = frozenset(
    {
        "empty",
        "too-long",
        "not-an-image",
        "unsupported-format",
        "too-many-pixels",
        "decompression-bomb",
        "too-large-file",
    }
)


class InputRejected(Exception):  # noqa: N818 — the name the contract gives; it is a refusal, not a bug
    """The input cannot be analysed; `.code` is stable (the Django side translates by code), `.message` English."""

    def __init__(self, code: str, message: str) -> None:
        if code not in INPUT_REJECTED_CODES:
            raise ValueError(f"unknown rejection code: {code}")
        super().__init__(message)
        self.code = code
        self.message = message
