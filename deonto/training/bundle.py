"""The course bundle (``deonto-course/1``): reading a directory or ZIP into a checked ``Bundle``,
and writing a ``Bundle`` back to files.

Reading checks everything before anything is written: every problem found is reported at once,
each naming its file and item, in a ``BundleError``. Writing is deterministic (fixed key order,
no sorting, literal blocks for text on several lines) so that exporting, importing and exporting
again gives the same bytes. The format itself is described in the bundle specification.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from django.utils.translation import gettext as _

from deonto.core.errors import DomainError
from deonto.training.models import QUESTION_KINDS, CaseQuestion, ContentLanguage, ItemKind, TranslationStatus
from deonto.training.texts import COURSE, MODULE, key_text, text_normalise

FORMAT = "deonto-course/1"
COURSE_FILE = "course.yaml"
IMAGE_SUFFIXES = (".svg", ".png")
MAX_BUNDLE_BYTES = 50 * 1024 * 1024
LANGUAGE_ORDER = [language.value for language in ContentLanguage]

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")

COURSE_KEYS = (
    "format", "code", "version", "source_language", "languages", "pass_mark", "title", "description", "translation",
)  # fmt: skip
MODULE_KEYS = ("code", "title", "summary", "translation", "items")
ITEM_KEYS = {
    ItemKind.LESSON: ("code", "kind", "articles", "image", "text", "translation"),
    ItemKind.CASE: ("code", "kind", "question", "articles", "image", "choices", "text", "translation"),
    ItemKind.SINGLE: (
        "code",
        "kind",
        "quiz",
        "points",
        "articles",
        "image",
        "choices",
        "text",
        "translation",
    ),
    ItemKind.MULTIPLE: (
        "code",
        "kind",
        "quiz",
        "points",
        "articles",
        "image",
        "choices",
        "text",
        "translation",
    ),
    ItemKind.TRUEFALSE: (
        "code",
        "kind",
        "quiz",
        "points",
        "articles",
        "image",
        "choices",
        "text",
        "translation",
    ),
    ItemKind.SHORT: ("code", "kind", "quiz", "points", "articles", "image", "text", "translation"),
    ItemKind.MATCHING: (
        "code",
        "kind",
        "quiz",
        "points",
        "articles",
        "image",
        "pairs",
        "text",
        "translation",
    ),
}


class BundleError(DomainError):
    """A bundle that cannot be loaded; ``problems`` lists every problem found, each a sentence."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TranslationMeta:
    status: str
    source_fingerprint: str


@dataclass
class BundleItem:
    code: str
    kind: str
    structure: dict[str, Any]
    articles: list[str]
    quiz: bool
    points: int
    texts: dict[str, dict[str, Any]]
    translation: dict[str, TranslationMeta] = field(default_factory=dict)
    file: str = ""

    @property
    def image(self) -> str:
        return str(self.structure.get("image", ""))


@dataclass
class BundleModule:
    code: str
    texts: dict[str, dict[str, Any]]
    items: list[BundleItem]
    translation: dict[str, TranslationMeta] = field(default_factory=dict)
    file: str = ""


@dataclass
class Bundle:
    code: str
    version: int
    source_language: str
    languages: list[str]
    pass_mark: int
    texts: dict[str, dict[str, Any]]
    modules: list[BundleModule]
    translation: dict[str, TranslationMeta] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def items(self) -> list[BundleItem]:
        return [item for module in self.modules for item in module.items]


# Reading ---------------------------------------------------------------------------------------


def _bundle_path(name: str) -> str | None:
    """The path of a file that belongs to a bundle, or None for anything else."""
    path = PurePosixPath(name)
    if path.as_posix() == COURSE_FILE:
        return COURSE_FILE
    if len(path.parts) == 2 and path.parts[0] == "modules" and path.suffix == ".yaml":
        return path.as_posix()
    if len(path.parts) == 2 and path.parts[0] == "images" and not path.name.startswith("."):
        return path.as_posix()
    return None


def _files_from_directory(directory: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(directory.rglob("*")):
        name = _bundle_path(path.relative_to(directory).as_posix())
        if name is not None and path.is_file():
            files[name] = path.read_bytes()
    return files


def _files_from_zip(data: bytes, label: str) -> dict[str, bytes]:
    """The bundle's files from a ZIP holding them at its root or in one folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise BundleError([_("%(file)s is not a readable ZIP file.") % {"file": label}]) from error
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > MAX_BUNDLE_BYTES:
            raise BundleError([_("%(file)s is too large to be a course bundle.") % {"file": label}])
        roots = {
            info.filename[: -len(COURSE_FILE)]
            for info in members
            if info.filename == COURSE_FILE or info.filename.endswith("/" + COURSE_FILE)
        }
        if len(roots) != 1:
            raise BundleError([_("%(file)s must hold exactly one course.yaml.") % {"file": label}])
        root = roots.pop()
        files: dict[str, bytes] = {}
        for info in members:
            if info.filename.startswith(root):
                name = _bundle_path(info.filename[len(root) :])
                if name is not None:
                    files[name] = archive.read(info)
        return files


def bundle_files_read(source: Path) -> dict[str, bytes]:
    """The files of the bundle at ``source``: a directory, or a ZIP file."""
    if source.is_dir():
        files = _files_from_directory(source)
    elif source.is_file():
        files = _files_from_zip(source.read_bytes(), source.name)
    else:
        raise BundleError([_("There is no course bundle at %(path)s.") % {"path": str(source)}])
    if COURSE_FILE not in files:
        raise BundleError([_("%(path)s holds no course.yaml.") % {"path": str(source)}])
    return files


class _Reader:
    """Reads the files of a bundle, collecting every problem before giving up."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files
        self.problems: list[str] = []

    def problem(self, file: str, item: str | None, message: str) -> None:
        if item is None:
            self.problems.append(_("%(file)s: %(problem)s") % {"file": file, "problem": message})
        else:
            self.problems.append(
                _("%(file)s, item %(item)s: %(problem)s") % {"file": file, "item": item, "problem": message}
            )

    def load_yaml(self, name: str) -> Any:
        try:
            return yaml.safe_load(self.files[name].decode("utf-8"))
        except UnicodeDecodeError:
            self.problem(name, None, _("The file is not UTF-8 text."))
        except yaml.YAMLError as error:
            self.problem(name, None, _("The file is not valid YAML: %(error)s") % {"error": str(error)})
        return None

    def unknown_keys(
        self, file: str, item: str | None, raw: Mapping[str, Any], allowed: tuple[str, ...]
    ) -> None:
        unknown = sorted(str(key) for key in raw if key not in allowed)
        if unknown:
            self.problem(file, item, _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})

    def code(self, file: str, item: str | None, raw: Any) -> str:
        if isinstance(raw, str) and _CODE.match(raw):
            return raw
        self.problem(file, item, _("The code %(code)r is not a lowercase slug.") % {"code": raw})
        return str(raw)

    def read(self) -> Bundle:
        raw = self.load_yaml(COURSE_FILE)
        if self.problems:
            raise BundleError(self.problems)
        if not isinstance(raw, Mapping) or raw.get("format") != FORMAT:
            raise BundleError(
                [_("%(file)s: the format must be %(format)s.") % {"file": COURSE_FILE, "format": FORMAT}]
            )
        bundle = self.course(raw)
        self.check_codes(bundle)
        self.check_images(bundle)
        if self.problems:
            raise BundleError(self.problems)
        return bundle

    def course(self, raw: Mapping[str, Any]) -> Bundle:
        file = COURSE_FILE
        self.unknown_keys(file, None, raw, COURSE_KEYS)
        code = self.code(file, None, raw.get("code"))
        version = raw.get("version")
        if type(version) is not int or version < 1:
            self.problem(file, None, _("The version must be a whole number from 1."))
            version = 1
        pass_mark = raw.get("pass_mark")
        if type(pass_mark) is not int or not 0 <= pass_mark <= 100:
            self.problem(file, None, _("The pass mark must be a percentage from 0 to 100."))
            pass_mark = 0
        languages = raw.get("languages")
        if (
            not isinstance(languages, list)
            or not languages
            or any(language not in LANGUAGE_ORDER for language in languages)
            or len(set(languages)) != len(languages)
        ):
            self.problem(
                file,
                None,
                _("The languages must be a list of %(languages)s.")
                % {"languages": ", ".join(LANGUAGE_ORDER)},
            )
            languages = []
        source_language = raw.get("source_language")
        if source_language not in languages:
            self.problem(file, None, _("The source language must be one of the bundle's languages."))
        self.languages = list(languages)
        self.source_language = str(source_language)
        texts = self.by_language(file, None, COURSE, raw, ("title", "description"))
        modules = [self.module(name) for name in sorted(self.files) if name.startswith("modules/")]
        if not modules:
            self.problem(file, None, _("The bundle has no modules."))
        return Bundle(
            code=code,
            version=version,
            source_language=self.source_language,
            languages=self.languages,
            pass_mark=pass_mark,
            texts=texts,
            modules=modules,
            translation=self.translation(file, None, raw.get("translation"), texts),
            images={name: data for name, data in self.files.items() if name.startswith("images/")},
        )

    def by_language(
        self, file: str, item: str | None, kind: str, raw: Mapping[str, Any], names: tuple[str, str]
    ) -> dict[str, dict[str, Any]]:
        """A course's or module's texts, given per field (``title: {nl: ...}``), regrouped per language."""
        fields: list[Mapping[str, Any]] = []
        for name in names:
            value = raw.get(name, {})
            if not isinstance(value, Mapping):
                self.problem(file, item, _("%(field)s must map languages to texts.") % {"field": name})
                return {}
            fields.append(value)
        languages = {language for value in fields for language in value}
        texts: dict[str, dict[str, Any]] = {}
        for language in self.ordered(file, item, languages):
            raw_text = {name: value.get(language) for name, value in zip(names, fields, strict=True)}
            texts[language], problems = text_normalise(kind, raw_text)
            self.text_problems(file, item, language, problems)
        return texts

    def ordered(self, file: str, item: str | None, languages: Any) -> list[str]:
        """The languages of a text, in the course's order, after checking they are the bundle's."""
        unknown = sorted(str(language) for language in languages if language not in self.languages)
        if unknown:
            self.problem(
                file,
                item,
                _("Texts in languages the bundle does not declare: %(languages)s.")
                % {"languages": ", ".join(unknown)},
            )
        if self.source_language not in languages:
            self.problem(
                file,
                item,
                _("There is no text in the source language %(language)s.")
                % {"language": self.source_language},
            )
        return [language for language in LANGUAGE_ORDER if language in languages]

    def text_problems(self, file: str, item: str | None, language: str, problems: list[str]) -> None:
        for problem in problems:
            self.problem(
                file, item, _("In %(language)s: %(problem)s") % {"language": language, "problem": problem}
            )

    def translation(
        self, file: str, item: str | None, raw: Any, texts: Mapping[str, Any]
    ) -> dict[str, TranslationMeta]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.problem(
                file, item, _("The translation status must map languages to a status and fingerprint.")
            )
            return {}
        result: dict[str, TranslationMeta] = {}
        for language in LANGUAGE_ORDER:
            if language not in raw:
                continue
            meta = raw[language]
            if language not in texts:
                self.problem(
                    file,
                    item,
                    _("There is a translation status for %(language)s but no text.") % {"language": language},
                )
            elif (
                not isinstance(meta, Mapping)
                or set(meta) != {"status", "source_fingerprint"}
                or meta["status"] not in TranslationStatus.values
                or not _FINGERPRINT.match(str(meta["source_fingerprint"]))
            ):
                self.problem(
                    file,
                    item,
                    _(
                        "The translation status of %(language)s needs a status (%(statuses)s) and a 16-digit source_fingerprint."
                    )
                    % {"language": language, "statuses": ", ".join(TranslationStatus.values)},
                )
            else:
                result[language] = TranslationMeta(str(meta["status"]), str(meta["source_fingerprint"]))
        unknown = sorted(str(language) for language in raw if language not in LANGUAGE_ORDER)
        if unknown:
            self.problem(
                file, item, _("Unknown languages: %(languages)s.") % {"languages": ", ".join(unknown)}
            )
        return result

    def module(self, file: str) -> BundleModule:
        raw = self.load_yaml(file)
        if not isinstance(raw, Mapping):
            self.problem(file, None, _("The file must hold a module (a mapping)."))
            return BundleModule(code="", texts={}, items=[], file=file)
        self.unknown_keys(file, None, raw, MODULE_KEYS)
        code = self.code(file, None, raw.get("code"))
        texts = self.by_language(file, None, MODULE, raw, ("title", "summary"))
        raw_items = raw.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            self.problem(file, None, _("The module has no items."))
            raw_items = []
        items = [self.item(file, index, entry) for index, entry in enumerate(raw_items, start=1)]
        return BundleModule(
            code=code,
            texts=texts,
            items=[item for item in items if item is not None],
            translation=self.translation(file, None, raw.get("translation"), texts),
            file=file,
        )

    def item(self, file: str, index: int, raw: Any) -> BundleItem | None:
        if not isinstance(raw, Mapping):
            self.problem(file, str(index), _("An item must be a mapping."))
            return None
        label = str(raw.get("code") or index)
        code = self.code(file, label, raw.get("code"))
        kind = raw.get("kind")
        if kind not in ItemKind.values:
            self.problem(
                file,
                label,
                _("The kind %(kind)r is unknown; use one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(ItemKind.values)},
            )
            return None
        self.unknown_keys(file, label, raw, ITEM_KEYS[kind])
        structure: dict[str, Any] = {}
        if kind == ItemKind.CASE:
            question = raw.get("question")
            if question not in CaseQuestion.values:
                self.problem(
                    file,
                    label,
                    _("A case needs a question: %(questions)s.")
                    % {"questions": ", ".join(CaseQuestion.values)},
                )
            structure["question"] = question
        choice_keys: list[str] = []
        if "choices" in ITEM_KEYS[kind]:
            structure["choices"] = self.choices(file, label, kind, raw.get("choices"))
            choice_keys = [choice["key"] for choice in structure["choices"]]
        pair_keys: list[str] = []
        if kind == ItemKind.MATCHING:
            pair_keys = self.pairs(file, label, raw.get("pairs"))
            structure["pairs"] = pair_keys
        image = raw.get("image")
        if image is not None:
            structure["image"] = image
            if not isinstance(image, str) or _bundle_path(image) is None or not image.startswith("images/"):
                self.problem(file, label, _("The image must be a file in images/."))
            elif not image.lower().endswith(IMAGE_SUFFIXES):
                self.problem(file, label, _("The image must be an SVG or PNG file."))
            elif image not in self.files:
                self.problem(file, label, _("The image %(image)s is not in the bundle.") % {"image": image})
        articles = raw.get("articles", [])
        if not isinstance(articles, list) or not all(isinstance(code, str) for code in articles):
            self.problem(file, label, _("The articles must be a list of guidance article codes."))
            articles = []
        is_question = kind in QUESTION_KINDS
        quiz = raw.get("quiz", is_question)
        if not isinstance(quiz, bool):
            self.problem(file, label, _("quiz must be true or false."))
        points = raw.get("points", 1 if is_question else 0)
        if type(points) is not int or points < 0:
            self.problem(file, label, _("The points must be a whole number."))
            points = 0
        raw_texts = raw.get("text")
        if not isinstance(raw_texts, Mapping):
            self.problem(file, label, _("The item has no text."))
            raw_texts = {}
        texts: dict[str, dict[str, Any]] = {}
        for language in self.ordered(file, label, raw_texts):
            texts[language], problems = text_normalise(
                kind,
                raw_texts[language],
                choice_keys=choice_keys,
                pair_keys=pair_keys,
                has_image=image is not None,
            )
            self.text_problems(file, label, language, problems)
        return BundleItem(
            code=code,
            kind=kind,
            structure=structure,
            articles=list(articles),
            quiz=bool(quiz),
            points=points,
            texts=texts,
            translation=self.translation(file, label, raw.get("translation"), texts),
            file=file,
        )

    def choices(self, file: str, label: str, kind: str, raw: Any) -> list[dict[str, Any]]:
        flag = "recommended" if kind == ItemKind.CASE else "correct"
        if not isinstance(raw, list) or not all(
            isinstance(entry, Mapping) and set(entry) == {"key", flag} and isinstance(entry[flag], bool)
            for entry in raw
        ):
            self.problem(
                file,
                label,
                _("The choices must be a list of {key: ..., %(flag)s: true or false}.") % {"flag": flag},
            )
            return []
        choices = [{"key": key_text(entry["key"]), flag: entry[flag]} for entry in raw]
        keys = [choice["key"] for choice in choices]
        flagged = sum(1 for choice in choices if choice[flag])
        if len(set(keys)) != len(keys) or not all(_KEY.match(key) for key in keys):
            self.problem(file, label, _("The choice keys must be distinct lowercase keys."))
        if kind == ItemKind.TRUEFALSE:
            if sorted(keys) != ["false", "true"]:
                self.problem(
                    file, label, _("A true-or-false question has exactly the choices true and false.")
                )
        elif len(keys) < 2:
            self.problem(file, label, _("There must be at least two choices."))
        if kind in (ItemKind.SINGLE, ItemKind.TRUEFALSE) and flagged != 1:
            self.problem(file, label, _("Exactly one choice must be correct."))
        elif kind == ItemKind.MULTIPLE and flagged < 1:
            self.problem(file, label, _("At least one choice must be correct."))
        elif kind == ItemKind.CASE and flagged < 1:
            self.problem(file, label, _("At least one choice must be recommended."))
        return choices

    def pairs(self, file: str, label: str, raw: Any) -> list[str]:
        if not isinstance(raw, list) or not raw:
            self.problem(file, label, _("A matching question needs a list of pair keys."))
            return []
        keys = [key_text(key) for key in raw]
        if len(keys) < 2 or len(set(keys)) != len(keys) or not all(_KEY.match(key) for key in keys):
            self.problem(file, label, _("A matching question needs at least two distinct pair keys."))
        return keys

    def check_codes(self, bundle: Bundle) -> None:
        seen: dict[str, str] = {}
        for module in bundle.modules:
            if module.code in seen:
                self.problem(
                    module.file,
                    None,
                    _("The module code %(code)s is also used in %(other)s.")
                    % {"code": module.code, "other": seen[module.code]},
                )
            seen[module.code] = module.file
        seen = {}
        for item in bundle.items:
            if item.code in seen:
                self.problem(
                    item.file,
                    item.code,
                    _("The item code is also used in %(other)s.") % {"other": seen[item.code]},
                )
            seen[item.code] = item.file

    def check_images(self, bundle: Bundle) -> None:
        used = {item.image for item in bundle.items if item.image}
        bundle.images = {name: data for name, data in bundle.images.items() if name in used}


def bundle_read(source: Path) -> Bundle:
    """The checked bundle at ``source`` (a directory or a ZIP file); raises ``BundleError``."""
    return _Reader(bundle_files_read(source)).read()


def bundle_problem(file: str, item: str, message: str) -> str:
    """A problem found outside the reader (an unknown guidance article), worded like the reader's."""
    return _("%(file)s, item %(item)s: %(problem)s") % {"file": file, "item": item, "problem": message}


# Writing ---------------------------------------------------------------------------------------


class _FlowList(list[Any]):
    pass


class _FlowMap(dict[str, Any]):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(_FlowMap, _represent_flow_map)


def _dump(data: Mapping[str, Any]) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, indent=2)
    return text.encode("utf-8")


def _by_field(texts: Mapping[str, Mapping[str, Any]], name: str) -> dict[str, Any]:
    return {language: texts[language][name] for language in LANGUAGE_ORDER if language in texts}


def _translation(meta: Mapping[str, TranslationMeta]) -> dict[str, Any]:
    return {
        language: _FlowMap(status=meta[language].status, source_fingerprint=meta[language].source_fingerprint)
        for language in LANGUAGE_ORDER
        if language in meta
    }


def _item(item: BundleItem) -> dict[str, Any]:
    data: dict[str, Any] = {"code": item.code, "kind": item.kind}
    if item.kind == ItemKind.CASE:
        data["question"] = item.structure["question"]
    if item.kind in QUESTION_KINDS:
        if not item.quiz:
            data["quiz"] = False
        if item.points != 1:
            data["points"] = item.points
    data["articles"] = _FlowList(item.articles)
    if item.image:
        data["image"] = item.image
    if "choices" in item.structure:
        data["choices"] = [_FlowMap(choice) for choice in item.structure["choices"]]
    if "pairs" in item.structure:
        data["pairs"] = _FlowList(item.structure["pairs"])
    data["text"] = {language: item.texts[language] for language in LANGUAGE_ORDER if language in item.texts}
    if item.translation:
        data["translation"] = _translation(item.translation)
    return data


def bundle_files(bundle: Bundle) -> dict[str, bytes]:
    """The files of a bundle, by path, ready to be written to a directory or a ZIP."""
    course: dict[str, Any] = {
        "format": FORMAT,
        "code": bundle.code,
        "version": bundle.version,
        "source_language": bundle.source_language,
        "languages": _FlowList(bundle.languages),
        "pass_mark": bundle.pass_mark,
        "title": _by_field(bundle.texts, "title"),
        "description": _by_field(bundle.texts, "description"),
    }
    if bundle.translation:
        course["translation"] = _translation(bundle.translation)
    files = {COURSE_FILE: _dump(course)}
    for position, module in enumerate(bundle.modules, start=1):
        data: dict[str, Any] = {
            "code": module.code,
            "title": _by_field(module.texts, "title"),
            "summary": _by_field(module.texts, "summary"),
        }
        if module.translation:
            data["translation"] = _translation(module.translation)
        data["items"] = [_item(item) for item in module.items]
        files[f"modules/{position:02d}-{module.code}.yaml"] = _dump(data)
    files.update(bundle.images)
    return files
