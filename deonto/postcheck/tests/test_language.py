"""Language detection: the four languages, and the user's language when a post is too short to tell."""

import threading
from types import SimpleNamespace

import pytest
from lingua import Language

from deonto.postcheck.analyzers import language
from deonto.postcheck.analyzers.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vandaag een fijne dag gehad met de collega's, morgen gaan we samen fietsen langs de kust.", "nl"),
        (
            "Super soirée avec les collègues hier, on remet ça le mois prochain pour l'anniversaire de Julie.",
            "fr",
        ),
        ("Had a lovely evening with the neighbours, the kids played in the garden until it got dark.", "en"),
        ("Heute waren wir mit der ganzen Familie im Wald wandern, das Wetter war einfach herrlich.", "de"),
    ],
)
def test_each_of_the_four_languages_is_detected(text, expected):
    detected, confidence = detect_language(text, default="nl")
    assert detected == expected
    assert confidence > 0.5


@pytest.mark.parametrize("text", ["🎉🎉🎉", "ok!", "Top 👍", "  ", "12:30"])
def test_short_or_emoji_only_posts_fall_back_to_the_users_language(text):
    assert detect_language(text, default="fr") == ("fr", 0.0)


def test_an_ambiguous_post_falls_back_to_the_users_language_with_its_low_confidence(monkeypatch):
    monkeypatch.setattr(language, "MIN_CONFIDENCE", 1.01)
    detected, confidence = detect_language("Vandaag een fijne dag gehad met de collega's.", default="de")
    assert detected == "de"
    assert 0 < confidence <= 1


def test_the_detector_is_built_once_and_shared_between_threads():
    results = []

    def detect():
        results.append(
            (language._get_detector(), detect_language("Merci pour cette belle journée au bord de la mer"))
        )

    threads = [threading.Thread(target=detect) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(detector) for detector, _ in results}) == 1
    assert {result[0] for _, result in results} == {"fr"}


def test_only_the_start_of_a_long_text_is_read_to_tell_its_language():
    french = (
        "Super soirée avec les collègues hier, on remet ça le mois prochain pour l'anniversaire de Julie. "
    )
    start = (french * 20)[: language.SAMPLE_CHARACTERS]
    assert (
        detect_language(start + "Vandaag een fijne dag gehad met de collega's. " * 400, default="nl")[0]
        == "fr"
    )


class _FakeDetector:
    def __init__(self, values):
        self.values = values

    def compute_language_confidence_values(self, text):
        return [
            SimpleNamespace(language=lingua_language, value=value)
            for lingua_language, value in sorted(self.values.items(), key=lambda item: -item[1])
        ]


def test_the_users_language_wins_when_another_is_only_slightly_more_likely(monkeypatch):
    detector = _FakeDetector({Language.DUTCH: 0.55, Language.ENGLISH: 0.40, Language.FRENCH: 0.05})
    monkeypatch.setattr(language, "_get_detector", lambda: detector)
    assert detect_language("Zeebrugge port, nights 10pm-6am", default="en") == ("en", 0.40)
    assert detect_language("Zeebrugge port, nights 10pm-6am", default="fr") == ("nl", 0.55)


def test_a_clearly_different_language_beats_the_users_language():
    text = "Heute waren wir mit der ganzen Familie im Wald wandern, das Wetter war einfach herrlich."
    assert detect_language(text, default="fr")[0] == "de"


def test_a_short_dutch_post_with_dutch_function_words_is_dutch_whatever_lingua_thinks(monkeypatch):
    # Lingua's low-accuracy mode took this post for German with 0.999 confidence.
    detector = _FakeDetector({Language.GERMAN: 0.999, Language.DUTCH: 0.001})
    monkeypatch.setattr(language, "_get_detector", lambda: detector)
    text = "Straffe vangst vannacht op de Deurganckdok: 600 kilo verstopt tussen de ananassen"
    detected, confidence = detect_language(text, default="fr")
    assert detected == "nl"
    assert confidence > 0.5


def test_a_clear_lead_in_function_words_decides_without_lingua(monkeypatch):
    def no_lingua():
        raise AssertionError("lingua should not be needed")

    monkeypatch.setattr(language, "_get_detector", no_lingua)
    assert detect_language("Super soirée avec les collègues hier, on remet ça le mois prochain.")[0] == "fr"
    assert detect_language("Had a lovely evening with the neighbours in the garden.", default="de")[0] == "en"


def test_posts_without_a_clear_lead_in_function_words_are_left_to_lingua(monkeypatch):
    detector = _FakeDetector({Language.GERMAN: 0.9, Language.DUTCH: 0.1})
    monkeypatch.setattr(language, "_get_detector", lambda: detector)
    assert detect_language("Zeebrugge, Antwerpen, Liège: 3 havens", default="fr") == ("de", 0.9)


def test_a_word_shared_by_several_languages_gives_each_an_equal_part_of_a_point():
    scores = language.function_word_scores("de")
    assert scores == {"nl": 0.5, "fr": 0.5, "en": 0.0, "de": 0.0}


def test_typical_letter_sequences_tip_the_balance_but_only_up_to_a_limit():
    scores = language.function_word_scores("Ééééé ééééé")
    assert scores["fr"] == language.MAX_LETTER_SEQUENCE_POINTS
