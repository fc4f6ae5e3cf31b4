"""The guidance shipped with Deonto: YAML files in ``content/``, one per article, read and checked.

A file holds the article's ``code``, ``kind``, ``position``, ``source_language``, the codes of
related articles and, under ``translations``, a ``title``, ``summary`` and ``body`` (Markdown)
per language. Related articles are linked both ways whichever file names the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from deonto.knowledge.models import ArticleKind, ContentLanguage

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SHIPPED_LANGUAGES = ("nl", "fr", "en")

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ShippedContentError(ValueError):
    """A content file is malformed: a developer's mistake, reported with the file's name."""


@dataclass(frozen=True)
class ShippedText:
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class ShippedArticle:
    code: str
    kind: str
    position: int
    source_language: str
    related: frozenset[str]
    texts: dict[str, ShippedText]
    path: Path


def _text(path: Path, language: str, raw: Any) -> ShippedText:
    if not isinstance(raw, dict):
        raise ShippedContentError(f"{path.name}: translation {language!r} must be a mapping.")
    values = {}
    for key in ("title", "summary", "body"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ShippedContentError(f"{path.name}: {language}.{key} is missing or empty.")
        values[key] = value.strip()
    return ShippedText(**values)


def _article(path: Path, raw: Any) -> ShippedArticle:
    if not isinstance(raw, dict):
        raise ShippedContentError(f"{path.name}: the file must hold a mapping.")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ShippedContentError(f"{path.name}: 'code' must be a lowercase slug.")
    kind = raw.get("kind")
    if kind not in ArticleKind.values:
        raise ShippedContentError(f"{path.name}: 'kind' must be one of {', '.join(ArticleKind.values)}.")
    position = raw.get("position", 0)
    if not isinstance(position, int) or position < 0:
        raise ShippedContentError(f"{path.name}: 'position' must be a positive whole number.")
    source_language = raw.get("source_language", ContentLanguage.DUTCH)
    related = raw.get("related") or []
    if not isinstance(related, list) or not all(isinstance(item, str) for item in related):
        raise ShippedContentError(f"{path.name}: 'related' must be a list of codes.")
    translations = raw.get("translations")
    if not isinstance(translations, dict):
        raise ShippedContentError(f"{path.name}: 'translations' must map languages to texts.")
    unknown = set(translations) - set(ContentLanguage.values)
    if unknown:
        raise ShippedContentError(f"{path.name}: unknown languages {sorted(unknown)}.")
    missing = set(SHIPPED_LANGUAGES) - set(translations)
    if missing:
        raise ShippedContentError(f"{path.name}: missing languages {sorted(missing)}.")
    if source_language not in translations:
        raise ShippedContentError(f"{path.name}: no text in the source language {source_language!r}.")
    return ShippedArticle(
        code=code,
        kind=kind,
        position=position,
        source_language=source_language,
        related=frozenset(related),
        texts={language: _text(path, language, text) for language, text in translations.items()},
        path=path,
    )


def shipped_articles(directory: Path = CONTENT_DIR) -> list[ShippedArticle]:
    """Every article under ``directory``, checked, with related links made symmetric."""
    articles: list[ShippedArticle] = []
    for path in sorted(directory.rglob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            articles.append(_article(path, yaml.safe_load(handle)))
    codes = [article.code for article in articles]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ShippedContentError(f"Codes used by more than one file: {', '.join(duplicates)}.")
    links: dict[str, set[str]] = {code: set() for code in codes}
    for article in articles:
        for other in article.related:
            if other not in links:
                raise ShippedContentError(f"{article.path.name}: related article {other!r} does not exist.")
            if other == article.code:
                raise ShippedContentError(f"{article.path.name}: an article cannot be related to itself.")
            links[article.code].add(other)
            links[other].add(article.code)
    return [
        ShippedArticle(
            code=article.code,
            kind=article.kind,
            position=article.position,
            source_language=article.source_language,
            related=frozenset(links[article.code]),
            texts=article.texts,
            path=article.path,
        )
        for article in articles
    ]
