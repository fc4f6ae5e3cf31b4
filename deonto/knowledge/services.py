"""Changes to guidance: loading the shipped content, and saving a translation edited by hand.

Translation status follows the source text. Every translation stores the fingerprint of the
source-language text it was made from; when the source text changes, the translations whose
fingerprint no longer matches become ``outdated``, and only those.

The shipped YAML files win for the texts they ship, but only when the file itself changed:
each translation remembers the fingerprint of the shipped text last loaded, so an editor's
correction in the admin survives later syncs until a new release ships a new text for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from deonto.core.audit import audit_record
from deonto.knowledge.models import Article, ArticleTranslation, TranslationStatus, text_fingerprint
from deonto.knowledge.shipped import CONTENT_DIR, ShippedArticle, ShippedText, shipped_articles
from deonto.knowledge.text import search_text_for


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _search_text(translation: ArticleTranslation) -> str:
    return search_text_for(title=translation.title, summary=translation.summary, body=translation.body)


def _fingerprint(text: ShippedText) -> str:
    return text_fingerprint(text.title, text.summary, text.body)


def _sync_translations(article: Article, shipped: ShippedArticle) -> bool:
    """Bring one article's translations in line with the shipped texts; True if anything changed."""
    changed = False
    existing = {translation.language: translation for translation in article.translations.all()}
    shipped_source_fingerprint = _fingerprint(shipped.texts[shipped.source_language])
    for language, text in shipped.texts.items():
        translation = existing.get(language)
        shipped_fingerprint = _fingerprint(text)
        if translation is not None and translation.shipped_fingerprint == shipped_fingerprint:
            continue
        if translation is None:
            translation = ArticleTranslation(article=article, language=language)
            existing[language] = translation
        translation.title = text.title
        translation.summary = text.summary
        translation.body = text.body
        translation.shipped_fingerprint = shipped_fingerprint
        translation.source_fingerprint = shipped_source_fingerprint
        translation.status = TranslationStatus.REVIEWED
        translation.search_text = _search_text(translation)
        translation.save()
        changed = True

    source = existing.get(article.source_language)
    if source is not None:
        changed = _outdate_translations(article=article, source=source) > 0 or changed
    return changed


def _outdate_translations(*, article: Article, source: ArticleTranslation) -> int:
    """Mark outdated the translations made from another source text than the current one."""
    return (
        ArticleTranslation.objects.filter(article=article)
        .exclude(pk=source.pk)
        .exclude(source_fingerprint=source.fingerprint)
        .exclude(status=TranslationStatus.OUTDATED)
        .update(status=TranslationStatus.OUTDATED)
    )


@transaction.atomic
def guidance_sync(*, directory: Path = CONTENT_DIR, actor: Any = None) -> SyncReport:
    """Create or update the shipped articles, by code; running it again changes nothing.

    Articles that exist only in the database (written in the admin) are left alone, and so is
    an article's ``is_published``, which stays the administrator's choice after creation.
    """
    shipped = shipped_articles(directory)
    report = SyncReport()
    articles = {
        article.code: article for article in Article.objects.filter(code__in=[s.code for s in shipped])
    }
    for item in shipped:
        article = articles.get(item.code)
        created = article is None
        if article is None:
            article = Article(code=item.code)
            articles[item.code] = article
        fields = {"kind": item.kind, "position": item.position, "source_language": item.source_language}
        article_changed = created or any(getattr(article, name) != value for name, value in fields.items())
        if article_changed:
            for name, value in fields.items():
                setattr(article, name, value)
            article.save()
        translations_changed = _sync_translations(article, item)
        if created:
            report.created.append(item.code)
        elif article_changed or translations_changed:
            report.updated.append(item.code)
        else:
            report.unchanged.append(item.code)

    for item in shipped:
        article = articles[item.code]
        current = set(article.related.values_list("code", flat=True))
        if current != item.related:
            article.related.set([articles[code] for code in sorted(item.related)])
            if item.code in report.unchanged:
                report.unchanged.remove(item.code)
                report.updated.append(item.code)

    if report.changed:
        audit_record(
            actor=actor,
            action="knowledge.guidance_synced",
            details={"created": report.created, "updated": report.updated},
        )
    return report


@transaction.atomic
def translation_save(*, translation: ArticleTranslation, actor: Any) -> ArticleTranslation:
    """Save a translation edited by hand.

    When it is the source-language text and its words changed, the article's other translations
    become outdated. When a translation is saved as reviewed, the reviewer vouches for it against
    the current source text, so it takes that text's fingerprint.
    """
    article = translation.article
    is_source = translation.language == article.source_language
    previous = ArticleTranslation.objects.filter(pk=translation.pk).first() if translation.pk else None
    source_changed = is_source and (previous is None or previous.fingerprint != translation.fingerprint)
    if is_source:
        translation.source_fingerprint = translation.fingerprint
    elif translation.status == TranslationStatus.REVIEWED or not translation.source_fingerprint:
        source = ArticleTranslation.objects.filter(article=article, language=article.source_language).first()
        translation.source_fingerprint = source.fingerprint if source is not None else ""
    translation.search_text = _search_text(translation)
    translation.save()
    outdated = _outdate_translations(article=article, source=translation) if source_changed else 0
    audit_record(
        actor=actor,
        action="knowledge.translation_saved",
        target=translation,
        details={"article": article.code, "language": translation.language, "outdated": outdated},
    )
    return translation
