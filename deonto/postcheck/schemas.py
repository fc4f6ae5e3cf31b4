"""The JSON shapes of the post check API: what comes in, what goes out (kept apart)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

LanguageCode = Literal["nl", "fr", "en", "de"]
CategoryCode = Literal[
    "personal-data",
    "operational",
    "identifies-officer",
    "weapon",
    "location",
    "employer-criticism",
    "political",
    "harassment-or-hate",
    "internal-document",
]
SeverityCode = Literal["info", "warning", "high"]
SourceCode = Literal["text", "photo-text", "photo-metadata", "photo-content", "photo-code"]


class PostCheckIn(Schema):
    """A draft post sent as JSON (a photo needs multipart/form-data)."""

    text: str = Field(description="The text of the draft post, at most 20,000 characters.")
    language: LanguageCode | None = Field(
        None, description="The language of the post; detected when absent (the user's language when unsure)."
    )


class FindingOut(Schema):
    category: CategoryCode
    severity: SeverityCode
    rule: str = Field(description="The id of the rule that found it (identifier:… and photo:… for those).")
    explanation: str = Field(description="Why it is a risk, in the post's language.")
    advice: str = Field(description="How to fix it, in the post's language.")
    article: str | None = Field(
        description="The code of the guidance article it concerns (/guidance/<code>/)."
    )
    source: SourceCode
    span: tuple[int, int] | None = Field(
        description="Character offsets [start, end) in the text it was found in."
    )
    box: tuple[int, int, int, int] | None = Field(description="x, y, width, height in the photo's pixels.")
    excerpt: str = Field(description="The text found, for highlighting.")


class PhotoMetadataOut(Schema):
    latitude: float | None
    longitude: float | None
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    camera_serial: str | None
    software: str | None


class CodeOut(Schema):
    kind: str
    text: str
    box: tuple[int, int, int, int] | None


class PhotoOut(Schema):
    width: int
    height: int
    format: str
    metadata: PhotoMetadataOut
    faces: int
    face_boxes: list[tuple[int, int, int, int]]
    codes: list[CodeOut]
    ocr_text: str = Field(description="The text read in the photo; photo-text spans point into it.")


class PostCheckOut(Schema):
    language: LanguageCode
    language_confidence: float
    findings: list[FindingOut] = Field(description="Most serious first.")
    photo: PhotoOut | None = Field(description="The photo's report, when a photo was sent.")


class ErrorOut(Schema):
    code: str = Field(
        description="Stable: empty, too-long, not-an-image, unsupported-format, too-many-pixels, …"
    )
    message: str = Field(description="What is wrong, in the user's language.")
