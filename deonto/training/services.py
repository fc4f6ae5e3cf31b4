"""Changes to course content: loading and exporting bundles, and saving a translation edited by hand.

Translation status follows the source text. Every translation stores the fingerprint of the
source-language text it was made from; when a source text changes, the translations of that
text whose fingerprint no longer matches become ``outdated``, and only those.

A bundle is the course's truth when it is loaded: it is checked completely first (nothing is
written when anything is wrong), then applied in one transaction, in place, by code. Loading the
same bundle again writes nothing.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.knowledge.selectors import article_for
from deonto.training.bundle import (
    COURSE_FILE,
    LANGUAGE_ORDER,
    Bundle,
    BundleError,
    BundleItem,
    BundleModule,
    TranslationMeta,
    bundle_files,
    bundle_problem,
    bundle_read,
)
from deonto.training.models import (
    Course,
    CourseTranslation,
    Item,
    ItemTranslation,
    Module,
    ModuleTranslation,
    TranslationStatus,
    content_fingerprint,
)
from deonto.training.texts import COURSE, MODULE, text_normalise

T = TypeVar("T", CourseTranslation, ModuleTranslation, ItemTranslation)

DEFAULT_BUNDLE = Path(__file__).resolve().parent / "content" / "social-media"

# Positions are unique, so rows that move are first parked out of the way.
_PARKING = 1_000_000
_ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


@dataclass
class BundleReport:
    """What loading a bundle did, by code (the course's own code under ``updated`` when it changed)."""

    course: Course
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


# Loading ---------------------------------------------------------------------------------------


def _check_articles(bundle: Bundle) -> None:
    """Refuse items that link to guidance articles that do not exist."""
    users: dict[str, list[BundleItem]] = {}
    for item in bundle.items:
        for code in item.articles:
            users.setdefault(code, []).append(item)
    problems = [
        bundle_problem(
            item.file, item.code, _("The guidance article %(code)s does not exist.") % {"code": code}
        )
        for code in sorted(users)
        if article_for(code=code, language=bundle.source_language) is None
        for item in users[code]
    ]
    if problems:
        raise BundleError(problems)


def _sync_translations(
    existing: dict[str, T],
    make: Callable[[str], T],
    texts: Mapping[str, dict[str, Any]],
    meta: Mapping[str, TranslationMeta],
    source_language: str,
) -> bool:
    """Bring one text's translations in line with the bundle; True if anything changed.

    A translation keeps the status the bundle gives it. Without one, a text that is new or changed
    in the bundle counts as reviewed against the current source, and an unchanged text keeps its
    status, so a translation left alone while its source changed becomes outdated.
    """
    source_fingerprint = content_fingerprint(texts[source_language])
    changed = False
    for language, content in texts.items():
        translation = existing.get(language)
        is_new = translation is None
        if translation is None:
            translation = make(language)
        text_changed = is_new or translation.content != content
        explicit = meta.get(language)
        if explicit is not None:
            status, fingerprint = explicit.status, explicit.source_fingerprint
        elif text_changed:
            status, fingerprint = TranslationStatus.REVIEWED.value, source_fingerprint
        else:
            status, fingerprint = translation.status, translation.source_fingerprint
        if language == source_language:
            fingerprint = source_fingerprint
        elif fingerprint != source_fingerprint:
            status = TranslationStatus.OUTDATED
        if text_changed or status != translation.status or fingerprint != translation.source_fingerprint:
            translation.content = content
            translation.status = status
            translation.source_fingerprint = fingerprint
            translation.save()
            changed = True
    for language, translation in existing.items():
        if (
            language not in texts
            and translation.source_fingerprint != source_fingerprint
            and translation.status != TranslationStatus.OUTDATED
        ):
            translation.status = TranslationStatus.OUTDATED
            translation.save()
            changed = True
    return changed


def _stored_bytes(item: Item) -> bytes | None:
    if not item.image:
        return None
    try:
        with item.image.open("rb") as handle:
            data: bytes = handle.read()
    except OSError:
        return None
    return data


def _sync_image(item: Item, path: str, images: Mapping[str, bytes]) -> bool:
    if not path:
        if not item.image:
            return False
        item.image = ""
        return True
    data = images[path]
    if _stored_bytes(item) == data:
        return False
    item.image.save(PurePosixPath(path).name, ContentFile(data), save=False)
    return True


def _sync_course(bundle: Bundle, report: BundleReport, is_new: bool) -> None:
    course = report.course
    fields = {
        "version": bundle.version,
        "source_language": bundle.source_language,
        "pass_mark": bundle.pass_mark,
    }
    changed = is_new or any(getattr(course, name) != value for name, value in fields.items())
    if changed:
        for name, value in fields.items():
            setattr(course, name, value)
        course.save()
    existing = {} if is_new else {t.language: t for t in course.translations.all()}
    changed = (
        _sync_translations(
            existing,
            lambda language: CourseTranslation(course=course, language=language),
            bundle.texts,
            bundle.translation,
            bundle.source_language,
        )
        or changed
    )
    if changed and not is_new:
        report.updated.append(course.code)


def _park_moving_rows(bundle: Bundle, modules: dict[str, Module], items: dict[str, Item]) -> None:
    """Move every module (and every item) out of the way when any of them changes place."""
    wanted_modules = {module.code: position for position, module in enumerate(bundle.modules, start=1)}
    if any(wanted_modules.get(code) != module.position for code, module in modules.items()):
        Module.objects.filter(pk__in=[module.pk for module in modules.values()]).update(
            position=F("position") + _PARKING
        )
        for module in modules.values():
            module.position += _PARKING
    wanted_items = {
        item.code: (module.code, position)
        for module in bundle.modules
        for position, item in enumerate(module.items, start=1)
    }
    if any(wanted_items.get(code) != (item.module.code, item.position) for code, item in items.items()):
        Item.objects.filter(pk__in=[item.pk for item in items.values()]).update(
            position=F("position") + _PARKING
        )
        for item in items.values():
            item.position += _PARKING


def _sync_module(
    bundle: Bundle, shipped: BundleModule, position: int, module: Module | None, report: BundleReport
) -> Module:
    is_new = module is None
    if module is None:
        module = Module(course=report.course, code=shipped.code)
    changed = is_new or module.position != position
    if changed:
        module.position = position
        module.save()
    existing = {} if is_new else {t.language: t for t in module.translations.all()}
    saved = module
    changed = (
        _sync_translations(
            existing,
            lambda language: ModuleTranslation(module=saved, language=language),
            shipped.texts,
            shipped.translation,
            bundle.source_language,
        )
        or changed
    )
    if is_new:
        report.created.append(module.code)
    elif changed:
        report.updated.append(module.code)
    return module


def _sync_item(
    bundle: Bundle,
    shipped: BundleItem,
    module: Module,
    position: int,
    item: Item | None,
    report: BundleReport,
) -> None:
    is_new = item is None
    if item is None:
        item = Item(course=report.course, code=shipped.code)
    fields: dict[str, Any] = {
        "module_id": module.pk,
        "position": position,
        "kind": shipped.kind,
        "structure": shipped.structure,
        "articles": shipped.articles,
        "quiz": shipped.quiz,
        "points": shipped.points,
    }
    changed = is_new or any(getattr(item, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(item, name, value)
    changed = _sync_image(item, shipped.image, bundle.images) or changed
    if changed:
        item.save()
    existing = {} if is_new else {t.language: t for t in item.translations.all()}
    saved = item
    changed = (
        _sync_translations(
            existing,
            lambda language: ItemTranslation(item=saved, language=language),
            shipped.texts,
            shipped.translation,
            bundle.source_language,
        )
        or changed
    )
    if is_new:
        report.created.append(item.code)
    elif changed:
        report.updated.append(item.code)


@transaction.atomic
def course_bundle_sync(*, directory_or_zip: Path | str, actor: Any = None) -> BundleReport:
    """Load a bundle and say what changed; loading the same bundle again changes nothing.

    Modules and items are matched by code. Those no longer in the bundle are removed (no learner
    data hangs on them yet); translations in languages the bundle does not carry are kept.
    """
    bundle = bundle_read(Path(directory_or_zip))
    _check_articles(bundle)
    course = Course.objects.select_for_update().filter(code=bundle.code).first()
    if course is not None and bundle.version < course.version:
        raise BundleError(
            [
                _("%(file)s: version %(version)d is older than the loaded version %(loaded)d.")
                % {"file": COURSE_FILE, "version": bundle.version, "loaded": course.version}
            ]
        )
    is_new = course is None
    report = BundleReport(course=course if course is not None else Course(code=bundle.code))
    _sync_course(bundle, report, is_new)
    modules = {
        m.code: m for m in Module.objects.filter(course=report.course).prefetch_related("translations")
    }
    items = {
        i.code: i
        for i in Item.objects.filter(course=report.course)
        .select_related("module")
        .prefetch_related("translations")
    }
    _park_moving_rows(bundle, modules, items)
    for module_position, shipped_module in enumerate(bundle.modules, start=1):
        module = _sync_module(
            bundle, shipped_module, module_position, modules.get(shipped_module.code), report
        )
        for position, shipped_item in enumerate(shipped_module.items, start=1):
            _sync_item(bundle, shipped_item, module, position, items.get(shipped_item.code), report)
    kept_items = {item.code for item in bundle.items}
    kept_modules = {module.code for module in bundle.modules}
    for code, item in items.items():
        if code not in kept_items:
            item.delete()
            report.removed.append(code)
    for code, module in modules.items():
        if code not in kept_modules:
            module.delete()
            report.removed.append(code)
    if is_new or report.changed:
        audit_record(
            actor=actor,
            action="training.course_loaded",
            target=report.course,
            details={
                "version": bundle.version,
                "created": report.created,
                "updated": report.updated,
                "removed": report.removed,
            },
        )
    return report


def course_bundle_load(*, directory_or_zip: Path | str, actor: Any = None) -> Course:
    """Load a course bundle (a directory or a ZIP file) and return its course."""
    return course_bundle_sync(directory_or_zip=directory_or_zip, actor=actor).course


# Exporting -------------------------------------------------------------------------------------


def _meta(translations: list[T], source_language: str) -> dict[str, TranslationMeta]:
    """The statuses a bundle must carry: those that differ from "reviewed against the current source"."""
    source = next((t for t in translations if t.language == source_language), None)
    source_fingerprint = source.fingerprint if source is not None else ""
    return {
        t.language: TranslationMeta(t.status, t.source_fingerprint)
        for t in translations
        if (t.status, t.source_fingerprint) != (TranslationStatus.REVIEWED, source_fingerprint)
    }


def _item_texts(item: Item, translations: list[ItemTranslation]) -> dict[str, dict[str, Any]]:
    choice_keys = [choice["key"] for choice in item.structure.get("choices", [])]
    texts = {}
    for translation in translations:
        texts[translation.language], _problems = text_normalise(
            item.kind,
            translation.content,
            choice_keys=choice_keys,
            pair_keys=item.structure.get("pairs", []),
            has_image="image" in item.structure or bool(item.image),
        )
    return texts


def _bundle_of(course: Course) -> Bundle:
    modules = list(
        course.modules.order_by("position").prefetch_related(
            "translations",
            Prefetch("items", queryset=Item.objects.order_by("position").prefetch_related("translations")),
        )
    )
    source = course.source_language
    course_translations = list(course.translations.all())
    languages = {t.language for t in course_translations}
    images: dict[str, bytes] = {}
    bundle_modules = []
    for module in modules:
        module_translations = list(module.translations.all())
        bundle_items = []
        for item in module.items.all():
            item_translations = list(item.translations.all())
            languages.update(t.language for t in item_translations)
            structure = dict(item.structure)
            data = _stored_bytes(item)
            if data is not None:
                structure.setdefault("image", f"images/{PurePosixPath(item.image.name or '').name}")
                images[structure["image"]] = data
            bundle_items.append(
                BundleItem(
                    code=item.code,
                    kind=item.kind,
                    structure=structure,
                    articles=list(item.articles),
                    quiz=item.quiz,
                    points=item.points,
                    texts=_item_texts(item, item_translations),
                    translation=_meta(item_translations, source),
                )
            )
        languages.update(t.language for t in module_translations)
        bundle_modules.append(
            BundleModule(
                code=module.code,
                texts={t.language: t.content for t in module_translations},
                items=bundle_items,
                translation=_meta(module_translations, source),
            )
        )
    return Bundle(
        code=course.code,
        version=course.version,
        source_language=source,
        languages=[language for language in LANGUAGE_ORDER if language in languages],
        pass_mark=course.pass_mark,
        texts={t.language: t.content for t in course_translations},
        modules=bundle_modules,
        translation=_meta(course_translations, source),
        images=images,
    )


def course_bundle_export(*, course: Course, directory: Path) -> None:
    """Write the course as a bundle into ``directory``, replacing the bundle files already there."""
    files = bundle_files(_bundle_of(course))
    for folder in ("modules", "images"):
        if (directory / folder).is_dir():
            for old in (directory / folder).iterdir():
                if old.is_file():
                    old.unlink()
    for name, data in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def course_bundle_zip(*, course: Course) -> bytes:
    """The course as a bundle in a ZIP file; the same course always gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(bundle_files(_bundle_of(course)).items()):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# Editing translations ----------------------------------------------------------------------------


def _translation_save(
    *,
    actor: Any,
    translation: T,
    status: str | None,
    source_language: str,
    siblings: QuerySet[T],
    details: dict[str, Any],
) -> T:
    """Save a translation whose content is set and checked.

    A source text takes its own fingerprint, and when its words changed the other translations made
    from another text become outdated. Another language saved as draft or reviewed is vouched for
    against the current source text, so it takes that text's fingerprint.
    """
    if status is not None:
        if status not in TranslationStatus.values:
            raise DomainError(_("This is not a translation status."))
        translation.status = status
    outdated = 0
    if translation.language == source_language:
        source_changed = (
            translation._state.adding or translation.source_fingerprint != translation.fingerprint
        )
        translation.source_fingerprint = translation.fingerprint
        translation.save()
        if source_changed:
            outdated = (
                siblings.exclude(pk=translation.pk)
                .exclude(source_fingerprint=translation.source_fingerprint)
                .exclude(status=TranslationStatus.OUTDATED)
                .update(status=TranslationStatus.OUTDATED, updated_at=timezone.now())
            )
    else:
        source = siblings.filter(language=source_language).first()
        if source is None:
            raise DomainError(_("There is no text in the source language to translate from yet."))
        if translation.status in (TranslationStatus.DRAFT, TranslationStatus.REVIEWED):
            translation.source_fingerprint = source.fingerprint
        elif translation.source_fingerprint != source.fingerprint:
            translation.status = TranslationStatus.OUTDATED
        translation.save()
    audit_record(
        actor=actor,
        action="training.translation_saved",
        target=translation,
        details={
            **details,
            "language": translation.language,
            "status": translation.status,
            "outdated": outdated,
        },
    )
    return translation


def _checked(kind: str, content: Mapping[str, Any], **structure: Any) -> dict[str, Any]:
    text, problems = text_normalise(kind, content, **structure)
    if problems:
        raise DomainError(" ".join(problems))
    return text


@transaction.atomic
def item_translation_save(
    *, actor: Any, translation: ItemTranslation, content: Mapping[str, Any], status: str | None = None
) -> ItemTranslation:
    """Save the texts of an item in one language, checked against the item's structure."""
    item = translation.item
    translation.content = _checked(
        item.kind,
        content,
        choice_keys=[choice["key"] for choice in item.structure.get("choices", [])],
        pair_keys=item.structure.get("pairs", []),
        has_image="image" in item.structure or bool(item.image),
    )
    return _translation_save(
        actor=actor,
        translation=translation,
        status=status,
        source_language=item.course.source_language,
        siblings=ItemTranslation.objects.filter(item=item),
        details={"course": item.course.code, "item": item.code},
    )


@transaction.atomic
def module_translation_save(
    *, actor: Any, translation: ModuleTranslation, content: Mapping[str, Any], status: str | None = None
) -> ModuleTranslation:
    """Save a module's title and summary in one language."""
    module = translation.module
    translation.content = _checked(MODULE, content)
    return _translation_save(
        actor=actor,
        translation=translation,
        status=status,
        source_language=module.course.source_language,
        siblings=ModuleTranslation.objects.filter(module=module),
        details={"course": module.course.code, "module": module.code},
    )


@transaction.atomic
def course_translation_save(
    *, actor: Any, translation: CourseTranslation, content: Mapping[str, Any], status: str | None = None
) -> CourseTranslation:
    """Save a course's title and description in one language."""
    course = translation.course
    translation.content = _checked(COURSE, content)
    return _translation_save(
        actor=actor,
        translation=translation,
        status=status,
        source_language=course.source_language,
        siblings=CourseTranslation.objects.filter(course=course),
        details={"course": course.code},
    )
