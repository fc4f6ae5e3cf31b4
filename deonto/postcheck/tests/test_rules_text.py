"""The text analysis: rules per language weighed by context, concrete advice, rules as data, bad input."""

import json
from pathlib import Path

import pytest

from deonto.postcheck.analyzers.findings import Analysis, Category, InputRejected, Severity
from deonto.postcheck.analyzers.rules import (
    IDENTIFIER_KINDS,
    LANGUAGES,
    PHOTO_KINDS,
    RuleError,
    RuleSet,
    fold,
    load_default_rules,
    terms_regex,
)
from deonto.postcheck.analyzers.text import MAX_CHARACTERS, analyze_text

ARTICLES = {
    path.stem for path in (Path(__file__).parents[2] / "knowledge" / "content" / "articles").glob("*.yaml")
}


def _warnings(text, language=None, default_language="nl"):
    """The categories shown as a warning (severity warning or high)."""
    analysis = analyze_text(text, language=language, default_language=default_language)
    return {finding.category for finding in analysis.findings if finding.severity >= Severity.WARNING}


def _finding(text, category, language=None):
    analysis = analyze_text(text, language=language)
    found = [finding for finding in analysis.findings if finding.category == category]
    assert found, f"no {category} finding in {text!r}: {analysis.findings}"
    return max(found, key=lambda finding: finding.severity.rank)


# --- Bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_an_empty_post_is_refused_with_the_empty_code(text):
    with pytest.raises(InputRejected) as error:
        analyze_text(text)
    assert error.value.code == "empty"
    assert error.value.message


def test_a_post_over_the_limit_is_refused_with_the_too_long_code():
    with pytest.raises(InputRejected) as error:
        analyze_text("a" * (MAX_CHARACTERS + 1))
    assert error.value.code == "too-long"
    assert "20,000" in error.value.message


def test_a_100000_character_post_is_refused_before_any_of_it_is_read(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the text was read")

    monkeypatch.setattr("deonto.postcheck.analyzers.text.detect_language", never)
    monkeypatch.setattr("deonto.postcheck.analyzers.text.fold", never)
    with pytest.raises(InputRejected) as error:
        analyze_text("controle morgen om 14u op de E40 " * 3000)
    assert error.value.code == "too-long"


@pytest.mark.parametrize(
    "text",
    [
        "1" * MAX_CHARACTERS,
        "a" * MAX_CHARACTERS,
        "12 " * (MAX_CHARACTERS // 3),
        ("Mooie vangst vandaag: 120 kg coke in container MSCU1234566 op kaai 1742 om 14u. " * 300)[
            :MAX_CHARACTERS
        ],
    ],
)
def test_the_longest_accepted_posts_give_at_most_twenty_findings_per_rule(text):
    # Their speed is measured by benchmarks/postcheck_speed.py ("longest accepted posts").
    assert all(count <= 20 for count in _count_per_rule(analyze_text(text)).values())


def _count_per_rule(analysis):
    counts = {}
    for finding in analysis.findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return counts


# --- Context is weighed -------------------------------------------------------------------------------------


def test_a_number_next_to_container_is_operational_and_high():
    finding = _finding("Morgen openen we container 4829130 op de terminal.", Category.OPERATIONAL, "nl")
    assert finding.severity == Severity.HIGH


def test_the_word_container_alone_is_not_operational():
    assert Category.OPERATIONAL not in _warnings(
        "De container voor het oud papier staat aan de straat.", "nl"
    )


def test_a_quantity_next_to_a_seizure_word_is_high_but_a_quantity_alone_is_nothing():
    assert (
        _finding("Vandaag 85 kg cocaine gevonden in de bananen", Category.OPERATIONAL, "nl").severity
        == Severity.HIGH
    )
    assert _warnings("Sinds januari 5 kg afgevallen, trots op mezelf!", "nl") == set()
    assert _warnings("Saisie de 300 kilos de cocaïne au port ce matin", "fr") == {Category.OPERATIONAL}
    assert _warnings("J'ai acheté 3 kilos de pommes au marché", "fr") == set()


def test_a_time_next_to_a_place_is_a_location_and_the_place_alone_is_not():
    assert Category.LOCATION in _warnings("Vannacht tot 6u aan de slag op de parking van Kallo", "nl")
    assert Category.LOCATION not in _warnings("De parking van Kallo is heel groot", "nl")
    assert Category.LOCATION in _warnings("Tonight from 22:00 we're at the E17 car park near Kortrijk", "en")


def test_a_control_with_a_time_and_a_place_is_operational_and_without_them_it_is_not():
    assert Category.OPERATIONAL in _warnings("Morgen om 7u controle aan de afrit van Zaventem", "nl")
    assert Category.OPERATIONAL not in _warnings("Mijn auto moet naar de technische controle", "nl")
    assert Category.OPERATIONAL not in _warnings("Alles onder controle hier, geniet van jullie weekend", "nl")


def test_in_uniform_with_a_photo_identifies_the_officer_and_without_uniform_it_does_not():
    assert (
        _finding("Selfie in uniform met de ploeg 📸", Category.IDENTIFIES_OFFICER, "nl").severity
        == Severity.HIGH
    )
    assert _warnings("Selfie op het afscheidsfeest, gelukkig zonder uniform 🎉", "nl") == set()
    assert _warnings("Photo de l'équipe en uniforme au port ce matin 📸", "fr") >= {
        Category.IDENTIFIES_OFFICER
    }
    assert _warnings("Mon fils a reçu son uniforme scolaire, trop mignon", "fr") == set()


def test_a_weapon_term_counts_in_an_officer_context_and_not_in_a_game():
    assert (
        _finding("Nieuwe holster voor mijn dienstwapen, kijk 📸", Category.WEAPON, "nl").severity
        == Severity.HIGH
    )
    assert Category.WEAPON in _warnings("Mon arme de service est restée dans le casier", "fr")
    assert Category.WEAPON in _warnings("Range day with the team today, my Glock and I did fine", "en")
    assert _warnings("Finally got the new sniper rifle in Call of Duty, what a game", "en") == set()
    assert _warnings("Die Wasserpistole für die Kinder war ein Volltreffer im Garten", "de") == set()


# --- Advice is concrete and links the right article -------------------------------------------------------


def test_a_container_number_gets_advice_to_remove_it_and_the_discretion_article():
    analysis = analyze_text("Container MSCU1234566 will be scanned tomorrow", language="en")
    (finding,) = [finding for finding in analysis.findings if finding.rule == "identifier:container"]
    assert finding.excerpt == "MSCU1234566"
    assert "Remove the container number" in finding.advice
    assert finding.article == "discretion"


def test_a_control_with_place_and_time_gets_advice_to_post_afterwards_without_them():
    finding = _finding("We're running checks on the E40 tomorrow at 6 am", Category.OPERATIONAL, "en")
    assert "after the operation is over and without place or time" in finding.advice
    assert finding.article == "discretion"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_links_an_existing_guidance_article(language):
    rules = load_default_rules().languages[language]
    messages = [rule.message for rule in rules.rules] + [*rules.identifiers.values(), *rules.photo.values()]
    assert {message.article for message in messages} <= ARTICLES
    assert all(message.explanation and message.advice for message in messages)


def test_the_findings_speak_the_posts_language():
    text_fr = "Contrôle demain à 7h sur l'E42 à hauteur de Daussoulx"
    finding = _finding(text_fr, Category.OPERATIONAL)
    assert finding.rule.startswith("fr-")
    assert "Publiez après la fin de l'opération" in finding.advice


def test_a_forced_language_chooses_the_rules_and_the_messages():
    analysis = analyze_text("Mail me at jan.peeters@example.be", language="de")
    assert analysis.language == "de"
    assert analysis.language_confidence == 1.0
    assert analysis.findings[0].advice == "Entfernen Sie die E-Mail-Adresse."


def test_a_short_post_uses_the_users_language():
    analysis = analyze_text("📍 ok!", default_language="fr")
    assert analysis.language == "fr"
    assert analysis.language_confidence == 0.0


# --- Findings --------------------------------------------------------------------------------------------


def test_spans_point_at_the_matched_text_and_findings_come_most_serious_first():
    text = "Trots op onze ploeg 💪 Vandaag 340 kilo coke onderschept in container MSCU1234566, bel 0475 12 34 56."
    analysis = analyze_text(text, language="nl")
    assert analysis.findings
    for finding in analysis.findings:
        start, end = finding.span
        assert text[start:end] == finding.excerpt
        assert finding.source == "text"
        assert finding.box is None
    ranks = [finding.severity.rank for finding in analysis.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_the_analysis_converts_to_the_clis_json():
    analysis = analyze_text("Vandaag 85 kg cocaine gevonden in de haven", language="nl")
    data = json.loads(json.dumps(analysis.to_dict()))
    assert data["language"] == "nl"
    assert {"category", "severity", "rule", "explanation", "advice", "article", "source", "span"} <= set(
        data["findings"][0]
    )
    assert data["findings"][0]["severity"] in {"info", "warning", "high"}


def test_severities_are_ordered():
    assert Severity.INFO < Severity.WARNING < Severity.HIGH
    assert max([Severity.WARNING, Severity.HIGH, Severity.INFO]) == Severity.HIGH


def test_an_unknown_rejection_code_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown rejection code"):
        InputRejected("boring", "no")


# --- Realistic drafts per language --------------------------------------------------------------------------

RISKY = [
    (
        "nl",
        "Straffe vangst vannacht op de Deurganckdok: 600 kilo verstopt tussen de ananassen",
        Category.OPERATIONAL,
    ),
    (
        "nl",
        "Onze scanner in Zeebrugge ligt al drie dagen plat, de trucks rijden zo door",
        Category.OPERATIONAL,
    ),
    (
        "nl",
        "We pikken vooral de vluchten uit Guayaquil eruit, die controleren we altijd",
        Category.OPERATIONAL,
    ),
    ("nl", "Kijk wat er in de interne nota staat, screenshot hieronder 👇", Category.INTERNAL_DOCUMENT),
    ("nl", "Die directie is echt een bende incompetente clowns", Category.EMPLOYER_CRITICISM),
    ("nl", "Stem zondag allemaal op Vlaams Belang!", Category.POLITICAL),
    ("nl", "Die gelukzoekers moeten allemaal terug naar hun land", Category.HARASSMENT_OR_HATE),
    ("nl", "Vertrekken morgen drie weken naar Kreta, het huis staat leeg", Category.LOCATION),
    ("fr", "Belle saisie ce matin : 40 kilos de cannabis dans un camion à Hensies", Category.OPERATIONAL),
    ("fr", "Regardez la note de service confidentielle en pièce jointe 👇", Category.INTERNAL_DOCUMENT),
    ("fr", "Notre direction est vraiment nulle, une bande d'incompétents", Category.EMPLOYER_CRITICISM),
    ("fr", "Votez massivement pour le PTB dimanche !", Category.POLITICAL),
    ("fr", "Ce connard de chauffeur nous a fait perdre deux heures", Category.HARASSMENT_OR_HATE),
    (
        "fr",
        "Le passager de ce matin avait 3 kilos dans sa valise, devinez sa nationalité 😂",
        Category.PERSONAL_DATA,
    ),
    (
        "en",
        "Drug dog alerted on a lorry at the Zeebrugge terminal tonight, cheers team",
        Category.OPERATIONAL,
    ),
    ("en", "Our risk profiles flag anything coming from these three ports", Category.OPERATIONAL),
    (
        "en",
        "Management are completely useless, they couldn't care less about us",
        Category.EMPLOYER_CRITICISM,
    ),
    ("en", "Screenshot of the duty roster for next week, don't share 🤫", Category.INTERNAL_DOCUMENT),
    ("en", "Proud member of Vooruit, campaigning all weekend for the election", Category.POLITICAL),
    ("en", "Just landed in Malaga, away for two weeks, house is empty lol", Category.LOCATION),
    ("de", "Heute Nacht 200 kg Kokain im Container sichergestellt, starkes Team!", Category.OPERATIONAL),
    ("de", "Morgen ab 6 Uhr Kontrolle am Rastplatz Lichtenbusch, fahrt vorsichtig", Category.OPERATIONAL),
    ("de", "Die Leitung ist ein Saftladen, völlig unfähig", Category.EMPLOYER_CRITICISM),
    ("de", "Hier ein Screenshot vom neuen Dienstplan, bitte nicht weitergeben", Category.INTERNAL_DOCUMENT),
    ("de", "Selfie in Uniform mit den Kollegen vom Zoll 📸", Category.IDENTIFIES_OFFICER),
    ("de", "Meine Dienstwaffe nach dem Schießtraining, schaut 🔫", Category.WEAPON),
    (
        "nl",
        "Onze gewestelijke directeur is een lachertje, niemand neemt hem nog serieus",
        Category.EMPLOYER_CRITICISM,
    ),
    ("nl", "Foto van mij en @kevin_dsmet aan de scanner in Antwerpen vanmorgen", Category.IDENTIFIES_OFFICER),
    ("nl", "Vanavond tot middernacht van dienst aan terminal 1 van Brussels Airport", Category.LOCATION),
    ("nl", "Die Marokkanen zijn allemaal criminelen", Category.HARASSMENT_OR_HATE),
    (
        "nl",
        "Vandaag een BMW met plaat 1-KLM-555 binnengehaald, 4 kilo hasj in de deur",
        Category.PERSONAL_DATA,
    ),
    (
        "fr",
        "Photo de moi en tenue avec le gyrophare de la voiture de service 😎",
        Category.IDENTIFIES_OFFICER,
    ),
    ("fr", "Ce soir je suis de nuit au terminal 2 de Zaventem jusqu'à 6h", Category.LOCATION),
    ("fr", "Mon Glock et moi au stand de tir ce matin", Category.WEAPON),
    ("fr", "Capture d'écran du planning des équipes de la semaine prochaine", Category.INTERNAL_DOCUMENT),
    ("en", "Me and my colleague Jens in uniform at the port this morning", Category.IDENTIFIES_OFFICER),
    ("en", "Those refugees are all criminals, kick them out", Category.HARASSMENT_OR_HATE),
    ("en", "Vote N-VA, the only ones who will fix this country", Category.POLITICAL),
    ("de", "Wählt am Sonntag ProDG, die einzige Partei für Ostbelgien", Category.POLITICAL),
    ("de", "Heute Nacht Dienst am Flughafen Lüttich bis 6 Uhr", Category.LOCATION),
    ("de", "Screenshot aus dem System mit den Daten des Spediteurs", Category.INTERNAL_DOCUMENT),
    (
        "nl",
        "Weer een lading namaaksneakers uit China tegengehouden, de importeur mag het vergeten",
        Category.OPERATIONAL,
    ),
    (
        "nl",
        "Tip voor de smokkelaars: de trucks van 's nachts worden bijna nooit opengemaakt",
        Category.OPERATIONAL,
    ),
    ("nl", "We zijn al drie maanden een bende aan het volgen, binnenkort slaan we toe", Category.OPERATIONAL),
    (
        "fr",
        "Demain grosse opération au port d'Anvers avec la police, je ne peux rien dire de plus",
        Category.OPERATIONAL,
    ),
    ("fr", "Les camions polonais, on les fouille systématiquement", Category.OPERATIONAL),
    (
        "en",
        "Another container of fake cigarettes stopped today, importer is in for a shock",
        Category.OPERATIONAL,
    ),
    (
        "de",
        "Morgen großer Einsatz im Hafen Antwerpen mit der Polizei, mehr darf ich nicht sagen",
        Category.OPERATIONAL,
    ),
    ("nl", "Mijn baas is een dictator, ik word er gek van", Category.EMPLOYER_CRITICISM),
    ("fr", "Notre hiérarchie nous méprise, on est traités comme des pions", Category.EMPLOYER_CRITICISM),
    ("en", "Customs management couldn't organise a piss-up in a brewery", Category.EMPLOYER_CRITICISM),
    ("de", "Die Verwaltung behandelt uns wie Nummern", Category.EMPLOYER_CRITICISM),
    ("nl", "Hele weekend op wacht aan de grens in Rekkem", Category.LOCATION),
    ("en", "All week nights at Zeebrugge port, 10pm to 6am", Category.LOCATION),
    ("de", "Das ganze Wochenende Dienst an der Grenze in Lichtenbusch", Category.LOCATION),
    ("nl", "Die nieuwe stagiaire is echt een dom wicht", Category.HARASSMENT_OR_HATE),
    ("en", "The new intern is a complete idiot, can't even use a stamp", Category.HARASSMENT_OR_HATE),
    ("fr", "La stagiaire est vraiment une grosse idiote", Category.HARASSMENT_OR_HATE),
    (
        "nl",
        "Drukke nacht in de haven: drie containers met bananen vol coke, de honden waren top",
        Category.OPERATIONAL,
    ),
    (
        "nl",
        "Weer een vrachtwagen met valse merkkledij, de chauffeur deed alsof hij van niks wist",
        Category.OPERATIONAL,
    ),
    ("nl", "Dat rederijtje uit Gent staat al maanden op onze lijst", Category.OPERATIONAL),
    (
        "fr",
        "À l'aéroport on regarde surtout les passagers qui voyagent seuls avec un bagage à main",
        Category.OPERATIONAL,
    ),
    (
        "en",
        "At the airport we mostly look at passengers travelling alone with only hand luggage",
        Category.OPERATIONAL,
    ),
    ("en", "Tomorrow's check at Rekkem has been moved to Thursday", Category.OPERATIONAL),
    (
        "de",
        "Volle Nacht im Hafen: drei Container mit Bananen voller Koks, die Hunde waren super",
        Category.OPERATIONAL,
    ),
    ("nl", "Zit hier nu al 6 uur in het hokje aan de Kennedytunnel", Category.LOCATION),
    ("fr", "Notre maison rue de la Station est vide pendant deux semaines", Category.LOCATION),
    ("en", "This week on days at the cargo terminal in Bierset", Category.LOCATION),
    ("de", "Diese Woche Tagdienst am Frachtterminal in Bierset", Category.LOCATION),
    ("nl", "Nieuwe badge gekregen, nu officieel douanier 😍", Category.IDENTIFIES_OFFICER),
    ("en", "Got my new badge, officially a customs officer now 😍", Category.IDENTIFIES_OFFICER),
    (
        "fr",
        "Les gens du siège central dans leur tour d'ivoire ne connaissent rien au terrain",
        Category.EMPLOYER_CRITICISM,
    ),
    (
        "de",
        "Die in der Zentrale sitzen im Elfenbeinturm und haben keine Ahnung von der Praxis",
        Category.EMPLOYER_CRITICISM,
    ),
]

HARMLESS = [
    ("nl", "Wat een zalige vakantie gehad in Toscane, nu terug thuis en klaar voor het werk"),
    ("nl", "Afscheidsfeestje van Marleen vanavond, in burgerkledij, met taart en muziek 🎉"),
    ("nl", "Trots op mijn job: elke dag iets nieuws leren met een toffe ploeg"),
    ("nl", "Zondag de 10 miles van Antwerpen gelopen, 1u32, nieuw record!"),
    ("nl", "Iemand een goede garage in de buurt? Mijn wagen moet naar de keuring."),
    ("nl", "Mooie vangst vandaag bij het vissen aan het kanaal: drie karpers!"),
    ("nl", "Eerst de vuile was, dan naar de actie bij de supermarkt vandaag: 2+1 gratis"),
    ("nl", "Onze nieuwe koffiemachine op het werk, wat een luxe haha"),
    ("nl", "Ik sukkel al weken met mijn rug, morgen om 9u naar de kinesist"),
    ("nl", "De partij van vanavond was top, we hebben allemaal gedanst"),
    ("fr", "Superbes vacances en Provence, retour à la maison ce soir avec plein de souvenirs"),
    ("fr", "Pot de départ de Julien hier soir, sans uniforme et avec beaucoup de rires"),
    ("fr", "Je saisis l'occasion pour remercier toute l'équipe du club de foot"),
    ("fr", "Match de hockey samedi à 15h à Namur, venez nous encourager !"),
    ("fr", "Notre chorale cherche des ténors, répétition le jeudi soir"),
    ("fr", "Sale temps aujourd'hui, la société de mon beau-frère organise un barbecue quand même"),
    ("fr", "Je pars au boulot, on se voit ce soir pour le souper"),
    ("en", "Back from a lovely week in Scotland, the kids loved the castles"),
    ("en", "Farewell drinks for Tom last night, nobody in uniform for once, great evening"),
    ("en", "Love my job, great colleagues and never a boring day"),
    ("en", "Ran my first half marathon in Ghent on Sunday, 1:58!"),
    ("en", "Does anyone know a good dentist near Leuven? Mine is retiring."),
    ("en", "Please vote for my daughter's drawing in the school contest"),
    ("en", "I'll check tomorrow at 9 whether the bakery near the station is open"),
    ("en", "This company makes great coffee, the party on Sunday was great too"),
    ("en", "Got a shiny badge for finishing my first 10k today, proud!"),
    ("en", "I'm such a moron, forgot my keys at home again"),
    ("de", "Schöner Urlaub an der Mosel, jetzt wieder zu Hause und erholt"),
    ("de", "Abschiedsfeier für Anna gestern, ganz in Zivil, mit Kuchen und Musik"),
    ("de", "Ich liebe meinen Beruf, tolle Kollegen und jeden Tag etwas Neues"),
    ("de", "Sonntag Fußballturnier in Eupen, Anpfiff um 14 Uhr, kommt vorbei!"),
    ("de", "Mein Auto muss zur Inspektion, kennt jemand eine gute Werkstatt?"),
    ("de", "Ich Idiot habe heute die Wäsche im Regen aufhängen lassen"),
    ("de", "Aktion im Supermarkt heute: Kaffee zum halben Preis"),
    ("nl", "Dikke proficiat aan de nieuwe collega's die vandaag begonnen, welkom!"),
    ("nl", "De trein werd tegengehouden door een defect, twee uur vertraging richting Gent"),
    ("nl", "Zaterdag van wacht bij de scouts, kamp in de Ardennen"),
    ("fr", "Le train a été bloqué deux heures à cause d'une panne, quelle journée"),
    ("fr", "La boîte de nuit du coin ferme enfin, le quartier respire"),
    ("en", "Finally got my suitcase back after the flight to Rome, relieved"),
    ("en", "Night shift done, off to bed. Have a good day all"),
    ("de", "Ich kontrolliere immer zweimal, ob der Herd aus ist"),
    ("de", "Der Zug wurde zwei Stunden aufgehalten wegen einer Störung"),
    ("en", "Netflix documentary about cocaine smuggling through the port of Antwerp, highly recommended"),
    ("fr", "Reportage à la télé ce soir sur la drogue au port d'Anvers, à voir"),
    ("nl", "We kijken vooral naar de zee vanaf het balkon, zalig"),
    ("en", "We always look forward to the summer market"),
    ("nl", "Ik hou van alleen reizen, volgende maand naar IJsland"),
    ("en", "Paris is on our list of places to visit this year"),
    ("nl", "Ons huis is eindelijk leeggemaakt voor de verhuis, volgende week de sleutels afgeven"),
]


@pytest.mark.parametrize(("language", "text", "category"), RISKY)
def test_realistic_risky_drafts_are_warned_about(language, text, category):
    assert category in _warnings(text, default_language=language)


@pytest.mark.parametrize(("language", "text"), HARMLESS)
def test_realistic_harmless_drafts_raise_no_warning(language, text):
    assert _warnings(text, default_language=language) == set()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Zondag allemaal lijst 4 stemmen, voor een sterk Vlaanderen"),
        ("nl", "Ik heb gewoon weer op lijst 3 gestemd"),
        ("fr", "Dimanche on vote tous pour la liste 3"),
        ("fr", "La liste 5, votez-la dimanche"),
        ("de", "Am Sonntag alle Liste 4 wählen!"),
        ("de", "Wählt am Sonntag Liste 2"),
    ],
)
def test_a_call_to_vote_for_a_list_number_is_political_in_either_word_order(language, text):
    assert Category.POLITICAL in _warnings(text, default_language=language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "De lijst van 4 boodschappen hangt aan de koelkast"),
        ("nl", "Lijst 2 van de taken: de piano laten stemmen"),
        ("fr", "Liste 3 des courses : du pain, du lait, du vin"),
        ("de", "Wir haben Liste 3 gewählt, die kürzere Einkaufsliste"),
    ],
)
def test_a_numbered_list_without_a_call_to_vote_is_not_political(language, text):
    assert Category.POLITICAL not in _warnings(text, default_language=language)


def test_accents_and_case_do_not_matter_for_terms():
    assert Category.OPERATIONAL in _warnings("SAISIE DE 300 KILOS DE COCAINE AU PORT", "fr")
    assert Category.OPERATIONAL in _warnings("Saisie de 300 kilos de cocaïne au port", "fr")
    assert fold("Écœuré À Zaventem") == "ecœure a zaventem"
    assert len(fold("Zöllner’s ĲZER")) == len("Zöllner’s ĲZER")


# --- Rules are data --------------------------------------------------------------------------------------


def _language_data(**rule):
    message = {"category": "personal-data", "severity": "warning", "explanation": "e", "advice": "a"}
    return {
        "rules": [rule],
        "identifiers": {kind: dict(message) for kind in IDENTIFIER_KINDS},
        "photo": {kind: dict(message) for kind in PHOTO_KINDS},
    }


def _rule(**changes):
    rule = {
        "id": "x-test",
        "category": "operational",
        "severity": "warning",
        "terms": ["smokkel*"],
        "explanation": "Why.",
        "advice": "Remove it.",
        "article": "discretion",
    }
    rule.update(changes)
    return rule


def test_a_ruleset_built_from_plain_dicts_is_used_instead_of_the_defaults():
    rules = RuleSet.from_data(
        {"xx": _language_data(**_rule(context={"terms": ["haven"], "severity": "high"}))}
    )
    analysis = analyze_text("Smokkelaars in de haven", language="xx", rules=rules)
    assert [(f.rule, f.severity, f.excerpt) for f in analysis.findings] == [
        ("x-test", Severity.HIGH, "Smokkelaars")
    ]
    assert analyze_text("Smokkelwaar", language="xx", rules=rules).findings[0].severity == Severity.WARNING


def test_a_required_context_must_be_within_the_window_in_words():
    rules = RuleSet.from_data(
        {"xx": _language_data(**_rule(context={"terms": ["haven"], "window": 3, "required": True}))}
    )
    assert analyze_text("smokkel in de haven", language="xx", rules=rules).findings
    assert not analyze_text("smokkel gezien, ver weg van de haven", language="xx", rules=rules).findings


def test_unless_terms_near_a_match_suppress_it():
    rules = RuleSet.from_data({"xx": _language_data(**_rule(unless={"terms": ["film"], "window": 3}))})
    assert not analyze_text("een film over smokkel", language="xx", rules=rules).findings


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "gossip"}, "x-test"),
        ({"severity": "critical"}, "x-test"),
        ({"terms": [], "patterns": []}, "needs terms or patterns"),
        ({"patterns": ["(unclosed"]}, "invalid pattern"),
        ({"terms": ["sm*kkel"]}, "'*' may only end a word"),
        ({"advice": None, "explanation": "e"}, None),
    ],
)
def test_malformed_rules_are_refused_with_a_message_naming_the_rule(changes, message):
    rule = _rule(**changes)
    if rule["advice"] is None:
        del rule["advice"]
        message = "missing advice"
    with pytest.raises(RuleError, match=message):
        RuleSet.from_data({"xx": _language_data(**rule)})


def test_a_language_without_every_identifier_message_is_refused():
    data = _language_data(**_rule())
    del data["identifiers"]["flight"]
    with pytest.raises(RuleError, match="no message for flight"):
        RuleSet.from_data({"xx": data})


def test_the_default_rules_cover_the_four_languages_and_are_loaded_once():
    rules = load_default_rules()
    assert set(rules.languages) == set(LANGUAGES)
    assert load_default_rules() is rules
    for language in LANGUAGES:
        categories = {rule.message.category for rule in rules.languages[language].rules}
        assert categories == set(Category)


def test_terms_share_their_prefixes_in_one_regex():
    source = terms_regex(["controle", "controles", "controleur"])
    assert source.count("controle") == 1


def test_an_analysis_without_findings_is_still_an_analysis():
    analysis = analyze_text("Goedemorgen allemaal, fijne dag!", language="nl")
    assert isinstance(analysis, Analysis)
    assert analysis.findings == []
