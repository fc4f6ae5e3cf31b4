"""Offline language detection limited to the four languages Deonto speaks (nl, fr, en, de).

Two stages keep a worker small. A function-word scorer (articles, pronouns, prepositions, auxiliaries, and a
few letter sequences typical of one language: "ij", "ç/é/è", "ß/ü", "th/wh") decides when one language is
clearly ahead; it needs no model and answers for nearly every real post. Only when it is not sure does lingua
run, in its low-accuracy mode (about 15 MB instead of about 130 MB resident, 190 MB while loading, for the
high-accuracy models). Lingua's low-accuracy mode alone is not good enough for short posts: it took "Straffe
vangst vannacht op de Deurganckdok: 600 kilo verstopt tussen de ananassen" for German with 0.999 confidence;
the function words ("op", "de", "tussen") settle it.

Short or emoji-only posts give either stage little to go on: below a minimum confidence, or with too few
letters, the caller's default (the user's language) is used instead of the guess.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_CODES = {
    Language.DUTCH: "nl",
    Language.FRENCH: "fr",
    Language.ENGLISH: "en",
    Language.GERMAN: "de",
}
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 12
# The user's own language wins unless another language is clearly more likely: short posts full of place
# names ("All week at Zeebrugge port") otherwise swing to the language of the places.
PREFER_DEFAULT_MARGIN = 0.3
# The first few thousand characters tell the language as well as the whole text, in bounded time.
SAMPLE_CHARACTERS = 2000

# The scorer decides alone when its leader has at least MIN_FUNCTION_WORDS points and CLEAR_LEAD times the
# points of the runner-up; otherwise lingua breaks the tie.
MIN_FUNCTION_WORDS = 3.0
CLEAR_LEAD = 2.0

_FUNCTION_WORDS = {
    "nl": """de het een en van in op te dat die is niet met voor zijn er aan ook als bij maar om nog naar uit
        dan wat was of tot door over ze zo je jij jou jouw jullie we wij ik mij me mijn ons onze hij zij haar
        hem hun deze dit wel geen heb hebt heeft hebben had ben bent wordt worden werd zal zullen kan kunnen
        moet moeten mag wil gaan gaat ging vandaag morgen gisteren nu al weer hier daar waar wie hoe waarom
        omdat want tussen onder naast tegen zonder na sinds vanaf zich heel veel meer niets iets iemand
        alles elke elk alle samen even echt toch onze mee terug ieder""",
    "fr": """le la les un une des du de et est à au aux en dans sur pour par avec sans sous chez que qui quoi
        ne pas plus on nous vous je tu il elle ils elles ce cet cette ces mon ma mes ton ta tes son sa ses
        notre nos votre vos leur leurs suis es sommes êtes sont ai as avons avez ont était été être avoir
        fait faire va vais aller très bien mais ou où donc car si aujourd demain hier encore toujours tout
        tous toute toutes rien quand comme aussi déjà merci l d j qu c""",
    "en": """the a an and of to in on at for with from by is are was were be been being am have has had do
        does did not no but or if so this that these those it its i me my we our us you your he she him her
        they them their there here what who when where why how will would can could should must may just
        about up out into over after before all some any more very also than then now today tonight
        yesterday tomorrow got get off don""",
    "de": """der die das den dem des ein eine einen einem einer und ist sind war waren bin bist sein hat habe
        haben hatte wird werden wurde kann können muss müssen soll darf will mit von zu zum zur im am auf
        aus bei nach für über unter vor durch gegen ohne um nicht kein keine auch noch schon nur sehr aber
        oder wenn dass weil wie was wer wo ich du er sie es wir ihr mich mir dich dir uns euch sich mein
        meine dein unser unsere heute morgen gestern jetzt hier da dort alle alles viel mehr immer wieder
        ganz einfach an""",
}


def _word_points() -> dict[str, dict[str, float]]:
    """A word shared by several languages ("de", "in", "die", "was") gives each of them an equal part of a point."""
    languages_by_word: dict[str, list[str]] = {}
    for code, words in _FUNCTION_WORDS.items():
        for word in set(words.split()):
            languages_by_word.setdefault(word, []).append(code)
    return {word: dict.fromkeys(codes, 1.0 / len(codes)) for word, codes in languages_by_word.items()}


_WORD_POINTS = _word_points()

_LETTER_SEQUENCES = {
    "nl": re.compile(r"ij"),
    "fr": re.compile(r"[çéèêàùœ]|eau"),
    "en": re.compile(r"th|wh"),
    "de": re.compile(r"[ßäöü]"),
}
LETTER_SEQUENCE_POINTS = 0.5
# Letter sequences only tip the balance: place and brand names ("Zeebrugge", "Thalys") carry them too.
MAX_LETTER_SEQUENCE_POINTS = 2.0
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Confidence:
    language: Language
    value: float


_LANGUAGES = {code: lingua_language for lingua_language, code in _CODES.items()}
_detector: LanguageDetector | None = None
_lock = threading.Lock()


def _get_detector() -> LanguageDetector:
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = (
                    LanguageDetectorBuilder.from_languages(*_CODES)
                    .with_low_accuracy_mode()
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector


def function_word_scores(text: str) -> dict[str, float]:
    """Points per language code for the function words and typical letter sequences found in `text`."""
    lowered = text.lower()
    scores = dict.fromkeys(_FUNCTION_WORDS, 0.0)
    for word in _WORD.findall(lowered):
        for code, points in _WORD_POINTS.get(word, {}).items():
            scores[code] += points
    for code, pattern in _LETTER_SEQUENCES.items():
        found = len(pattern.findall(lowered))
        scores[code] += min(found * LETTER_SEQUENCE_POINTS, MAX_LETTER_SEQUENCE_POINTS)
    return scores


def _clear_leader(scores: dict[str, float]) -> list[_Confidence] | None:
    """The scores as confidences, best first, when one language is clearly ahead; None when it is a tie."""
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (_, best), (_, second) = ranked[0], ranked[1]
    if best < MIN_FUNCTION_WORDS or best < CLEAR_LEAD * second:
        return None
    total = sum(scores.values())
    return [_Confidence(_LANGUAGES[code], points / total) for code, points in ranked]


def detect_language(text: str, *, default: str = "nl") -> tuple[str, float]:
    """The language code of `text` and the confidence in it; `default` (the user's language) when unsure.

    Unsure means: too few letters, no language above MIN_CONFIDENCE, or the default within
    PREFER_DEFAULT_MARGIN of the most likely language.
    """
    sample = text[:SAMPLE_CHARACTERS]
    letters = sum(1 for char in sample if char.isalpha())
    if letters < MIN_LETTERS:
        return default, 0.0
    confidences = _clear_leader(
        function_word_scores(sample)
    ) or _get_detector().compute_language_confidence_values(sample)
    if not confidences:
        return default, 0.0
    best = confidences[0]
    if best.value < MIN_CONFIDENCE:
        return default, best.value
    by_code = {_CODES[confidence.language]: confidence.value for confidence in confidences}
    if default in by_code and best.value - by_code[default] < PREFER_DEFAULT_MARGIN:
        return default, by_code[default]
    return _CODES[best.language], best.value
