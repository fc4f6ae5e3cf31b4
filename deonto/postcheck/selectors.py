"""Reads for the post checker's page: an analysis laid out for display (it is never stored)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from itertools import chain, pairwise

from django.urls import reverse
from django.utils.translation import get_language

from deonto.knowledge.selectors import articles_by_kind
from deonto.postcheck.analyzers.classifier import RULE_ID as CLASSIFIER_RULE
from deonto.postcheck.analyzers.findings import Analysis, Finding, PhotoReport, Severity
from deonto.postcheck.analyzers.language import MIN_CONFIDENCE
from deonto.postcheck.analyzers.photo import widened
from deonto.postcheck.models import CATEGORY_LABELS, SEVERITY_LABELS, RuleLanguage

SEVERITY_ORDER = (Severity.HIGH, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True)
class ShownFinding:
    """One item of the page: a finding, or several that would say the same thing (same severity, category,
    explanation, advice, article and source), shown once with all their excerpts and marks."""

    number: int
    findings: tuple[Finding, ...]
    category_label: str
    severity_label: str
    article_title: str
    article_url: str

    @property
    def anchor(self) -> str:
        return f"finding-{self.number}"

    @property
    def finding(self) -> Finding:
        """The first of the findings: the others differ from it only in where they were found."""
        return self.findings[0]

    @property
    def excerpts(self) -> list[str]:
        """The words each finding is about, in the order found, each once."""
        return list(dict.fromkeys(finding.excerpt for finding in self.findings if finding.excerpt))

    @property
    def from_classifier(self) -> bool:
        """Found from the wording as a whole (no rule matched): its mark shows the words that weigh most."""
        return self.finding.rule.startswith(f"{CLASSIFIER_RULE}:")


@dataclass(frozen=True)
class Segment:
    """A piece of the checked text: plain, or marked as the place of a finding."""

    text: str
    finding: ShownFinding | None = None


@dataclass(frozen=True)
class SeverityGroup:
    severity: str
    label: str
    findings: list[ShownFinding]


@dataclass(frozen=True)
class PhotoBox:
    """Where in the photo an item was found, in the photo's pixels, with the place of its numbered label:
    above the box's top left corner, or just inside it when the box touches the photo's top."""

    x: int
    y: int
    width: int
    height: int
    item: ShownFinding
    found: tuple[int, int, int, int]
    label_x: int
    label_y: int
    label_width: int
    label_height: int

    @property
    def mask_value(self) -> str:
        """The place as the masked copy's check box sends it: the box found, "x,y,width,height"."""
        return ",".join(map(str, self.found))

    @property
    def text_x(self) -> float:
        return self.label_x + self.label_width / 2

    @property
    def text_y(self) -> float:
        return self.label_y + self.label_height / 2


@dataclass(frozen=True)
class PhotoFigure:
    """The photo as the page shows it: a small copy (a data URI, never kept) under the items' boxes, drawn in
    the photo's own pixels so the boxes stay in place at any width."""

    image_uri: str
    width: int
    height: int
    font_size: int
    boxes: list[PhotoBox]


@dataclass(frozen=True)
class CheckResult:
    language: str
    language_label: str
    language_confidence: float
    language_chosen: bool
    groups: list[SeverityGroup]
    text_segments: list[Segment]
    photo: PhotoReport | None
    photo_text_segments: list[Segment] = field(default_factory=list)
    photo_figure: PhotoFigure | None = None

    @property
    def count(self) -> int:
        return sum(len(group.findings) for group in self.groups)

    @property
    def language_guessed(self) -> bool:
        """The post was too short or mixed to tell its language: the user's language was used."""
        return not self.language_chosen and self.language_confidence < MIN_CONFIDENCE


def _segments(text: str, shown: list[ShownFinding], source: str) -> list[Segment]:
    """`text` cut at the edges of the findings' spans; where spans overlap, the most serious one is linked."""
    spans = [
        (finding.span, item)
        for item in shown
        for finding in item.findings
        if finding.source == source and finding.span is not None
    ]
    edges = sorted(
        {0, len(text), *(edge for span, _item in spans for edge in span if 0 <= edge <= len(text))}
    )
    segments: list[Segment] = []
    for start, end in pairwise(edges):
        covering = [item for span, item in spans if span[0] <= start and end <= span[1]]
        linked = min(covering, key=lambda item: item.number) if covering else None
        if segments and segments[-1].finding is linked:
            segments[-1] = Segment(segments[-1].text + text[start:end], linked)
        else:
            segments.append(Segment(text[start:end], linked))
    return segments


def _photo_figure(photo: PhotoReport, shown: list[ShownFinding]) -> PhotoFigure | None:
    """The photo's preview with a numbered box for each place in it where an item was found; None when the
    analysis was not asked for a preview."""
    if not photo.preview:
        return None
    label_size = max(12, round(max(photo.width, photo.height) / 20))
    boxes: dict[tuple[tuple[int, int, int, int], int], PhotoBox] = {}
    for item in shown:
        for finding in item.findings:
            if finding.source == "text" or finding.box is None:
                continue
            x, y, width, height = widened(finding.box, photo.width, photo.height)
            label_width = round(label_size * (0.4 + 0.6 * len(str(item.number))))
            boxes.setdefault(
                (finding.box, item.number),
                PhotoBox(
                    x=x,
                    y=y,
                    width=width,
                    height=height,
                    item=item,
                    found=finding.box,
                    label_x=max(0, min(x, photo.width - label_width)),
                    label_y=y - label_size if y >= label_size else y,
                    label_width=label_width,
                    label_height=label_size,
                ),
            )
    return PhotoFigure(
        image_uri="data:image/jpeg;base64," + base64.b64encode(photo.preview).decode("ascii"),
        width=photo.width,
        height=photo.height,
        font_size=round(label_size * 0.75),
        boxes=list(boxes.values()),
    )


def _same_message(findings: list[Finding]) -> list[tuple[Finding, ...]]:
    """`findings` gathered by what the reader is told (a place named three times is one thing to fix, not
    three), in the order each message first appears."""
    gathered: dict[tuple[object, ...], list[Finding]] = {}
    for finding in findings:
        key = (
            finding.category,
            finding.explanation,
            finding.advice,
            finding.article,
            finding.source,
            finding.rule.startswith(f"{CLASSIFIER_RULE}:"),
        )
        gathered.setdefault(key, []).append(finding)
    return [tuple(same) for same in gathered.values()]


def check_result(*, analysis: Analysis, text: str, language_chosen: bool) -> CheckResult:
    """The analysis as the page shows it: findings that say the same thing gathered into one item, items
    numbered by severity, the texts with their marks, the guidance articles titled in the reader's
    language."""
    reader_language = (get_language() or "nl")[:2]
    articles: dict[str, tuple[str, str]] = {}
    if any(finding.article for finding in analysis.findings):
        for localised in chain.from_iterable(articles_by_kind(reader_language).values()):
            code = localised.article.code
            articles[code] = (localised.translation.title, reverse("knowledge:detail", args=[code]))
    groups = []
    shown: list[ShownFinding] = []
    for severity in SEVERITY_ORDER:
        items = []
        for same in _same_message([finding for finding in analysis.findings if finding.severity == severity]):
            title, url = articles.get(same[0].article or "", ("", ""))
            item = ShownFinding(
                number=len(shown) + 1,
                findings=same,
                category_label=str(CATEGORY_LABELS[same[0].category]),
                severity_label=str(SEVERITY_LABELS[severity]),
                article_title=title,
                article_url=url,
            )
            items.append(item)
            shown.append(item)
        if items:
            groups.append(
                SeverityGroup(severity=str(severity), label=str(SEVERITY_LABELS[severity]), findings=items)
            )
    photo = analysis.photo
    return CheckResult(
        language=analysis.language,
        language_label=str(dict(RuleLanguage.choices).get(analysis.language, analysis.language)),
        language_confidence=analysis.language_confidence,
        language_chosen=language_chosen,
        groups=groups,
        text_segments=_segments(text, shown, "text") if text.strip() else [],
        photo=photo,
        photo_text_segments=_segments(photo.ocr_text, shown, "photo-text")
        if photo and photo.ocr_text
        else [],
        photo_figure=_photo_figure(photo, shown) if photo else None,
    )
