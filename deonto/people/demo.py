"""Demo data: a synthetic customs administration for demonstrations and development.

``roster_generate`` is plain Python: from a seed and a size it builds regions, sites, an
organisational tree of about 300 units and the employees, always the same for the same seed
and ``today``. ``demo_seed`` writes such a roster and the demo logins (one per role) to the
database. Nothing here is real: names come from lists, addresses stop at the town, and every
e-mail address uses the reserved ``.test`` domain.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db import transaction

from deonto.accounts.models import User
from deonto.accounts.services import user_create
from deonto.people.models import Employee, OrgUnit, Region, Site

DEFAULT_SEED = 20261124
DEFAULT_EMPLOYEES = 4500
DEMO_PASSWORD = "deonto-demo"  # noqa: S105 - the published password of the demo logins, never of real ones
EMAIL_DOMAIN = "demo.deonto.test"
ROOT_CODE = "AGD"


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name_nl: str
    name_fr: str
    name_en: str


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    region_code: str
    address: str
    # Shares of Dutch, French and German speakers among the staff working here.
    languages: tuple[float, float, float]
    # The languages unit names are given in (Brussels and Eupen are bilingual).
    name_languages: tuple[str, ...]


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    parent_code: str | None
    path: str
    site_code: str
    kind: str
    is_operational: bool
    weight: int


@dataclass(frozen=True)
class EmployeeSpec:
    personnel_number: str
    first_name: str
    last_name: str
    email: str
    language: str
    unit_code: str
    site_code: str
    function: str
    is_armed: bool
    is_active: bool
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class DemoLogin:
    role: str
    language: str


@dataclass
class DemoRoster:
    regions: list[RegionSpec]
    sites: list[SiteSpec]
    units: list[UnitSpec]
    employees: list[EmployeeSpec]
    # Role → personnel number of the employee whose login it is.
    login_employees: dict[str, str] = field(default_factory=dict)
    manager_unit_codes: list[str] = field(default_factory=list)


# One login per role, with the interface languages mixed so a demonstration shows both.
DEMO_LOGINS = [
    DemoLogin("employee", "nl"),
    DemoLogin("instructor", "fr"),
    DemoLogin("coordinator", "nl"),
    DemoLogin("manager", "fr"),
    DemoLogin("inspector", "nl"),
    DemoLogin("head_of_service", "fr"),
    DemoLogin("administrator", "en"),
]

REGIONS = [
    RegionSpec("ANT", "Antwerpen", "Anvers", "Antwerp"),
    RegionSpec("GNT", "Gent", "Gand", "Ghent"),
    RegionSpec("LEU", "Leuven", "Louvain", "Leuven"),
    RegionSpec("HAS", "Hasselt", "Hasselt", "Hasselt"),
    RegionSpec("BRU", "Brussel", "Bruxelles", "Brussels"),
    RegionSpec("LIE", "Luik", "Liège", "Liège"),
    RegionSpec("MON", "Bergen", "Mons", "Mons"),
    RegionSpec("NAM", "Namen", "Namur", "Namur"),
]

_FLEMISH = (0.97, 0.03, 0.0)
_WALLOON = (0.02, 0.98, 0.0)
SITES = [
    SiteSpec("ANT-PORT", "Haven van Antwerpen", "ANT", "2030 Antwerpen", _FLEMISH, ("nl",)),
    SiteSpec("ANT-CITY", "Regionaal kantoor Antwerpen", "ANT", "2018 Antwerpen", _FLEMISH, ("nl",)),
    SiteSpec("ANT-E19", "Grenspost Meer (E19)", "ANT", "2321 Meer", _FLEMISH, ("nl",)),
    SiteSpec("ANT-TURN", "Kantoor Turnhout", "ANT", "2300 Turnhout", _FLEMISH, ("nl",)),
    SiteSpec("GNT-CITY", "Regionaal kantoor Gent", "GNT", "9000 Gent", _FLEMISH, ("nl",)),
    SiteSpec("GNT-PORT", "Haven van Gent", "GNT", "9042 Gent", _FLEMISH, ("nl",)),
    SiteSpec("GNT-ZEEB", "Haven van Zeebrugge", "GNT", "8380 Zeebrugge", _FLEMISH, ("nl",)),
    SiteSpec("GNT-E17", "Grenspost Rekkem (E17)", "GNT", "8930 Rekkem", (0.85, 0.15, 0.0), ("nl",)),
    SiteSpec("LEU-CITY", "Regionaal kantoor Leuven", "LEU", "3000 Leuven", _FLEMISH, ("nl",)),
    SiteSpec("LEU-VILV", "Kantoor Vilvoorde", "LEU", "1800 Vilvoorde", (0.9, 0.1, 0.0), ("nl",)),
    SiteSpec("LEU-E40", "Controlepost Bertem (E40)", "LEU", "3060 Bertem", _FLEMISH, ("nl",)),
    SiteSpec("HAS-CITY", "Regionaal kantoor Hasselt", "HAS", "3500 Hasselt", _FLEMISH, ("nl",)),
    SiteSpec("HAS-GENK", "Kantoor Genk (Haven Genk)", "HAS", "3600 Genk", _FLEMISH, ("nl",)),
    SiteSpec("HAS-E314", "Grenspost Lanaken (E314)", "HAS", "3620 Lanaken", _FLEMISH, ("nl",)),
    SiteSpec(
        "BRU-NGC",
        "North Galaxy (Centrale diensten / Services centraux)",
        "BRU",
        "1030 Schaarbeek / Schaerbeek",
        (0.55, 0.45, 0.0),
        ("nl", "fr"),
    ),
    SiteSpec(
        "BRU-AIRP", "Brussels Airport (Zaventem)", "BRU", "1930 Zaventem", (0.7, 0.3, 0.0), ("nl", "fr")
    ),
    SiteSpec(
        "BRU-TT",
        "Kantoor Tour & Taxis / Bureau Tour & Taxis",
        "BRU",
        "1000 Brussel / Bruxelles",
        (0.45, 0.55, 0.0),
        ("nl", "fr"),
    ),
    SiteSpec("LIE-CITY", "Bureau régional de Liège", "LIE", "4000 Liège", _WALLOON, ("fr",)),
    SiteSpec("LIE-AIRP", "Liège Airport (Bierset)", "LIE", "4460 Grâce-Hollogne", _WALLOON, ("fr",)),
    SiteSpec("LIE-EUP", "Bureau d'Eupen / Zollamt Eupen", "LIE", "4700 Eupen", (0.0, 0.2, 0.8), ("fr", "de")),
    SiteSpec(
        "LIE-E40",
        "Poste frontière de Lichtenbusch (E40) / Grenzposten Lichtenbusch",
        "LIE",
        "4730 Raeren",
        (0.0, 0.5, 0.5),
        ("fr", "de"),
    ),
    SiteSpec("MON-CITY", "Bureau régional de Mons", "MON", "7000 Mons", _WALLOON, ("fr",)),
    SiteSpec("MON-CRL", "Aéroport de Charleroi (Gosselies)", "MON", "6041 Gosselies", _WALLOON, ("fr",)),
    SiteSpec("MON-E19", "Poste frontière d'Hensies (E19)", "MON", "7350 Hensies", _WALLOON, ("fr",)),
    SiteSpec("NAM-CITY", "Bureau régional de Namur", "NAM", "5000 Namur", _WALLOON, ("fr",)),
    SiteSpec("NAM-ARL", "Bureau d'Arlon", "NAM", "6700 Arlon", (0.0, 0.97, 0.03), ("fr",)),
    SiteSpec("NAM-E411", "Poste frontière de Sterpenich (E411)", "NAM", "6700 Sterpenich", _WALLOON, ("fr",)),
]


@dataclass(frozen=True)
class UnitKind:
    """A kind of unit: its name per language, headcount weight, share of armed officers, functions."""

    names: dict[str, str]
    weight: int
    armed: float
    is_operational: bool
    functions: tuple[str, ...]


# Functions per language; "Attaché" and "Analyst"-like titles are the same everywhere.
FUNCTIONS: dict[str, dict[str, str]] = {
    "director": {"nl": "Directeur", "fr": "Directeur", "de": "Direktor"},
    "head": {"nl": "Diensthoofd", "fr": "Chef de service", "de": "Dienststellenleiter"},
    "brigade_chief": {"nl": "Brigadechef", "fr": "Chef de brigade", "de": "Brigadeleiter"},
    "agent": {"nl": "Douaneagent", "fr": "Agent des douanes", "de": "Zollbeamter"},
    "controller": {"nl": "Controleur", "fr": "Contrôleur", "de": "Kontrolleur"},
    "inspector": {"nl": "Inspecteur der douane", "fr": "Inspecteur des douanes", "de": "Zollinspektor"},
    "verifier": {"nl": "Verificateur", "fr": "Vérificateur", "de": "Prüfbeamter"},
    "dog_handler": {"nl": "Hondengeleider", "fr": "Maître-chien", "de": "Hundeführer"},
    "scanner": {"nl": "Scanneroperator", "fr": "Opérateur scanner", "de": "Scanner-Operator"},
    "investigator": {"nl": "Onderzoeker", "fr": "Enquêteur", "de": "Ermittler"},
    "auditor": {"nl": "Auditor", "fr": "Auditeur", "de": "Prüfer"},
    "analyst": {"nl": "Analist", "fr": "Analyste", "de": "Analyst"},
    "assistant": {
        "nl": "Administratief assistent",
        "fr": "Assistant administratif",
        "de": "Verwaltungsassistent",
    },
    "accountant": {"nl": "Boekhouder", "fr": "Comptable", "de": "Buchhalter"},
    "hr": {"nl": "HR-adviseur", "fr": "Conseiller RH", "de": "Personalberater"},
    "it": {"nl": "ICT-deskundige", "fr": "Expert ICT", "de": "IT-Fachkraft"},
    "jurist": {"nl": "Jurist", "fr": "Juriste", "de": "Jurist"},
    "attache": {"nl": "Attaché", "fr": "Attaché", "de": "Attaché"},
    "trainer": {"nl": "Opleider", "fr": "Formateur", "de": "Ausbilder"},
    "coordinator": {
        "nl": "Opleidingscoördinator",
        "fr": "Coordinateur de formation",
        "de": "Ausbildungskoordinator",
    },
}

_FIELD = ("agent", "agent", "agent", "controller", "controller", "inspector", "assistant")
KINDS: dict[str, UnitKind] = {
    "root": UnitKind(
        {
            "nl": "Algemene Administratie van de Douane en Accijnzen",
            "fr": "Administration générale des Douanes et Accises",
            "de": "Generalverwaltung Zoll und Akzisen",
        },
        4,
        0.0,
        False,
        ("director", "attache", "assistant"),
    ),
    "general": UnitKind({}, 4, 0.0, False, ("director", "attache", "assistant", "analyst")),
    "regional": UnitKind({}, 3, 0.0, False, ("director", "attache", "assistant")),
    "brigade": UnitKind(
        {"nl": "Mobiele brigade {n}", "fr": "Brigade mobile {n}", "de": "Mobile Brigade {n}"},
        12,
        0.78,
        True,
        ("agent", "agent", "agent", "controller", "controller", "inspector"),
    ),
    "office": UnitKind(
        {"nl": "Douanekantoor {site}", "fr": "Bureau de douane {site}", "de": "Zollamt {site}"},
        12,
        0.08,
        True,
        ("verifier", "verifier", "controller", "agent", "assistant"),
    ),
    "port": UnitKind(
        {"nl": "Havencontrole {n}", "fr": "Contrôle portuaire {n}", "de": "Hafenkontrolle {n}"},
        13,
        0.55,
        True,
        _FIELD,
    ),
    "scanning": UnitKind(
        {"nl": "Containerscanning {n}", "fr": "Scanning des conteneurs {n}", "de": "Containerscanning {n}"},
        8,
        0.3,
        True,
        ("scanner", "scanner", "scanner", "agent", "controller"),
    ),
    "airport": UnitKind(
        {"nl": "Luchthavencontrole {n}", "fr": "Contrôle aéroportuaire {n}", "de": "Flughafenkontrolle {n}"},
        12,
        0.55,
        True,
        _FIELD,
    ),
    "border": UnitKind(
        {"nl": "Grenspost {site}", "fr": "Poste frontière {site}", "de": "Grenzposten {site}"},
        10,
        0.8,
        True,
        ("agent", "agent", "agent", "controller", "inspector"),
    ),
    "dogs": UnitKind(
        {"nl": "Hondenteam", "fr": "Équipe cynophile", "de": "Hundestaffel"},
        6,
        0.95,
        True,
        ("dog_handler", "dog_handler", "dog_handler", "agent"),
    ),
    "excise": UnitKind(
        {"nl": "Accijnscontrole {n}", "fr": "Contrôle des accises {n}", "de": "Verbrauchsteuerkontrolle {n}"},
        8,
        0.3,
        True,
        ("controller", "controller", "agent", "inspector"),
    ),
    "investigation": UnitKind(
        {"nl": "Onderzoeksteam {n}", "fr": "Équipe d'enquête {n}", "de": "Ermittlungsteam {n}"},
        9,
        0.7,
        True,
        ("investigator", "investigator", "investigator", "inspector", "analyst"),
    ),
    "observation": UnitKind(
        {"nl": "Observatieteam", "fr": "Équipe d'observation", "de": "Observationsteam"},
        7,
        0.9,
        True,
        ("investigator", "investigator", "agent"),
    ),
    "intelligence": UnitKind(
        {"nl": "Inlichtingencel", "fr": "Cellule de renseignement", "de": "Nachrichtenzelle"},
        5,
        0.0,
        False,
        ("analyst", "analyst", "investigator"),
    ),
    "audit": UnitKind(
        {
            "nl": "Controle na vrijmaking {n}",
            "fr": "Contrôle a posteriori {n}",
            "de": "Nachträgliche Prüfung {n}",
        },
        12,
        0.0,
        False,
        ("auditor", "auditor", "auditor", "inspector", "assistant"),
    ),
    "excise_audit": UnitKind(
        {"nl": "Audit accijnzen", "fr": "Audit des accises", "de": "Verbrauchsteuerprüfung"},
        8,
        0.0,
        False,
        ("auditor", "auditor", "inspector"),
    ),
    "licences": UnitKind(
        {
            "nl": "Vergunningen en vereenvoudigingen",
            "fr": "Autorisations et simplifications",
            "de": "Bewilligungen und Vereinfachungen",
        },
        8,
        0.0,
        False,
        ("attache", "controller", "assistant"),
    ),
    "accounting": UnitKind(
        {"nl": "Boekhouding", "fr": "Comptabilité", "de": "Buchhaltung"},
        10,
        0.0,
        False,
        ("accountant", "accountant", "assistant"),
    ),
    "disputes": UnitKind(
        {
            "nl": "Geschillen en invordering",
            "fr": "Contentieux et recouvrement",
            "de": "Streitsachen und Beitreibung",
        },
        9,
        0.0,
        False,
        ("jurist", "jurist", "assistant"),
    ),
    "hr": UnitKind(
        {"nl": "Personeelsdienst", "fr": "Service du personnel", "de": "Personaldienst"},
        7,
        0.0,
        False,
        ("hr", "hr", "assistant"),
    ),
    "it": UnitKind(
        {"nl": "ICT-ondersteuning", "fr": "Support ICT", "de": "IT-Unterstützung"},
        7,
        0.0,
        False,
        ("it", "it", "it", "assistant"),
    ),
    "logistics": UnitKind(
        {"nl": "Logistiek en gebouwen", "fr": "Logistique et bâtiments", "de": "Logistik und Gebäude"},
        6,
        0.0,
        False,
        ("assistant", "assistant", "attache"),
    ),
    "weapons": UnitKind(
        {
            "nl": "Wapenbeheer en schietopleiding",
            "fr": "Gestion des armes et formation au tir",
            "de": "Waffenverwaltung und Schießausbildung",
        },
        4,
        0.9,
        True,
        ("trainer", "agent", "controller"),
    ),
}

# Central services: (code, kind-like weight, names in Dutch and French, functions).
CENTRAL_UNITS: list[tuple[str, int, str, str, tuple[str, ...]]] = [
    ("CEN-LEGAL", 12, "Juridische dienst", "Service juridique", ("jurist", "jurist", "assistant")),
    ("CEN-TARIFF", 12, "Tarief en oorsprong", "Tarif et origine", ("attache", "analyst", "controller")),
    ("CEN-VALUE", 9, "Douanewaarde", "Valeur en douane", ("attache", "analyst", "controller")),
    ("CEN-EXCPOL", 9, "Accijnsbeleid", "Politique des accises", ("attache", "jurist", "analyst")),
    (
        "CEN-CUSTPOL",
        9,
        "Douanebeleid en reglementering",
        "Politique douanière et réglementation",
        ("attache", "jurist", "analyst"),
    ),
    (
        "CEN-INTL",
        8,
        "Internationale samenwerking",
        "Coopération internationale",
        ("attache", "attache", "analyst"),
    ),
    (
        "CEN-RISK",
        15,
        "Nationaal risicobeheer",
        "Gestion nationale des risques",
        ("analyst", "analyst", "attache"),
    ),
    ("CEN-TARGET", 12, "Targetingcentrum", "Centre de ciblage", ("analyst", "analyst", "controller")),
    (
        "CEN-INTEL",
        10,
        "Nationale inlichtingendienst",
        "Service national de renseignement",
        ("analyst", "investigator", "investigator"),
    ),
    ("CEN-DATA", 9, "Data-analyse", "Analyse de données", ("analyst", "analyst", "it")),
    ("CEN-HR", 10, "Personeel en organisatie", "Personnel et organisation", ("hr", "hr", "assistant")),
    ("CEN-RECRUIT", 8, "Selectie en aanwerving", "Sélection et recrutement", ("hr", "hr", "assistant")),
    (
        "CEN-TRAIN",
        14,
        "Opleidingscentrum",
        "Centre de formation",
        ("trainer", "trainer", "coordinator", "assistant"),
    ),
    ("CEN-WELL", 6, "Welzijn op het werk", "Bien-être au travail", ("hr", "attache")),
    (
        "CEN-INTEG",
        8,
        "Integriteit en inspectie",
        "Intégrité et inspection",
        ("inspector", "jurist", "investigator"),
    ),
    ("CEN-AUDIT", 6, "Interne audit", "Audit interne", ("auditor", "auditor")),
    ("CEN-COMM", 6, "Communicatie", "Communication", ("attache", "assistant")),
    (
        "CEN-BUDGET",
        9,
        "Begroting en beheerscontrole",
        "Budget et contrôle de gestion",
        ("accountant", "analyst", "attache"),
    ),
    ("CEN-PROCURE", 6, "Overheidsopdrachten", "Marchés publics", ("jurist", "attache", "assistant")),
    ("CEN-FACIL", 8, "Facilitair beheer", "Gestion des installations", ("assistant", "attache")),
    (
        "CEN-ARMS",
        6,
        "Bewapening en uitrusting",
        "Armement et équipement",
        ("attache", "controller", "trainer"),
    ),
    ("CEN-IT-ARCH", 8, "ICT-architectuur", "Architecture ICT", ("it", "it", "analyst")),
    ("CEN-IT-DEV1", 10, "ICT-ontwikkeling 1", "Développement ICT 1", ("it", "it", "it", "analyst")),
    ("CEN-IT-DEV2", 10, "ICT-ontwikkeling 2", "Développement ICT 2", ("it", "it", "it", "analyst")),
    ("CEN-IT-OPS", 9, "ICT-exploitatie", "Exploitation ICT", ("it", "it", "it")),
    ("CEN-IT-SEC", 6, "Informatiebeveiliging", "Sécurité de l'information", ("it", "it", "analyst")),
    ("CEN-HELP", 9, "Helpdesk", "Helpdesk", ("it", "assistant", "assistant")),
    ("CEN-TRANS", 6, "Vertaaldienst", "Service de traduction", ("attache", "attache")),
]

# Where the operational, border and airport units of each region work.
_REGION_PLANS: dict[str, dict[str, list[str]]] = {
    "ANT": {
        "brigade": ["ANT-CITY"] * 5 + ["ANT-TURN"] * 2,
        "port": ["ANT-PORT"] * 5,
        "scanning": ["ANT-PORT"] * 3,
        "border": ["ANT-E19"],
        "excise": ["ANT-CITY"] * 2,
        "airport": [],
        "investigation": ["ANT-CITY"] * 4,
    },
    "GNT": {
        "brigade": ["GNT-CITY"] * 3 + ["GNT-ZEEB"] * 2,
        "port": ["GNT-ZEEB"] * 2 + ["GNT-PORT"],
        "scanning": ["GNT-ZEEB", "GNT-PORT"],
        "border": ["GNT-E17"],
        "excise": ["GNT-CITY"] * 2,
        "airport": [],
        "investigation": ["GNT-CITY"] * 3,
    },
    "LEU": {
        "brigade": ["LEU-CITY"] * 2 + ["LEU-VILV"],
        "port": [],
        "scanning": [],
        "border": ["LEU-E40"],
        "excise": ["LEU-CITY"],
        "airport": [],
        "investigation": ["LEU-CITY"] * 2,
    },
    "HAS": {
        "brigade": ["HAS-CITY"] * 2 + ["HAS-GENK"],
        "port": ["HAS-GENK"],
        "scanning": [],
        "border": ["HAS-E314"],
        "excise": ["HAS-CITY"],
        "airport": [],
        "investigation": ["HAS-CITY"] * 2,
    },
    "BRU": {
        "brigade": ["BRU-TT"] * 3 + ["BRU-AIRP"],
        "port": [],
        "scanning": ["BRU-AIRP"],
        "border": [],
        "excise": ["BRU-TT"] * 2,
        "airport": ["BRU-AIRP"] * 5,
        "investigation": ["BRU-TT"] * 3,
    },
    "LIE": {
        "brigade": ["LIE-CITY"] * 2 + ["LIE-EUP", "LIE-E40"],
        "port": [],
        "scanning": ["LIE-AIRP"],
        "border": ["LIE-E40"],
        "excise": ["LIE-CITY", "LIE-EUP"],
        "airport": ["LIE-AIRP"] * 3,
        "investigation": ["LIE-CITY"] * 2 + ["LIE-EUP"],
    },
    "MON": {
        "brigade": ["MON-CITY"] * 2,
        "port": [],
        "scanning": [],
        "border": ["MON-E19"],
        "excise": ["MON-CITY"],
        "airport": ["MON-CRL"] * 2,
        "investigation": ["MON-CITY"] * 2,
    },
    "NAM": {
        "brigade": ["NAM-CITY"] * 2 + ["NAM-ARL"],
        "port": [],
        "scanning": [],
        "border": ["NAM-E411"],
        "excise": ["NAM-CITY"],
        "airport": [],
        "investigation": ["NAM-CITY", "NAM-ARL"],
    },
}

# Checks after clearance: teams per region (the ports' regions audit the most).
_AUDIT_TEAMS = {"ANT": 5, "GNT": 4, "LEU": 2, "HAS": 2, "BRU": 3, "LIE": 3, "MON": 2, "NAM": 2}

GENERAL_DIRECTORATES = [
    ("OPS", "Operaties", "Opérations"),
    ("CTL", "Controles", "Contrôles"),
    ("INV", "Opsporing", "Enquêtes et recherches"),
    ("SUP", "Ondersteuning", "Support"),
    ("CEN", "Centrale diensten", "Services centraux"),
]
_DIRECTORATE_NAMES = {
    "OPS": {
        "nl": "Regionale directie operaties {site}",
        "fr": "Direction régionale des opérations {site}",
        "de": "Regionaldirektion Einsätze {site}",
    },
    "CTL": {
        "nl": "Regionale directie controles {site}",
        "fr": "Direction régionale des contrôles {site}",
        "de": "Regionaldirektion Kontrollen {site}",
    },
    "INV": {
        "nl": "Regionale directie opsporing {site}",
        "fr": "Direction régionale des enquêtes {site}",
        "de": "Regionaldirektion Ermittlungen {site}",
    },
    "SUP": {
        "nl": "Regionale ondersteuning {site}",
        "fr": "Support régional {site}",
        "de": "Regionale Unterstützung {site}",
    },
}


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


# Given names and surnames per language: Flemish, Walloon and East Belgian, with the names
# of families who came from elsewhere generations ago found in every list.
FIRST_NAMES = {
    "nl": _names(
        "Jan, Pieter, Koen, Bart, Tom, Wim, Dirk, Luc, Marc, Geert, Kristof, Steven, Jeroen, Wouter, Thomas, "
        "Jens, Lars, Robbe, Arne, Sander, Bram, Joris, Stijn, Dries, Pieterjan, Jef, Jozef, Frans, Hendrik, "
        "Michiel, Jonas, Seppe, Ruben, Mathias, Kevin, Yannick, Noël, Raf, Ward, Mehmet, Youssef, Karim, An, "
        "Els, Katrien, Sofie, Inge, Ilse, Veerle, Griet, Annelies, Liesbeth, Sarah, Elke, Evelien, Hanne, "
        "Lotte, Nele, Lies, Femke, Marijke, Hilde, Kaat, Zoë, Chloë, Daniëlle, Joëlle, Noëmi, Anaïs, Eline, "
        "Margot, Fien, Leen, Tine, Emma, Saïda, Fatma, Naïma"
    ),
    "fr": _names(
        "Jean, Pierre, Michel, Philippe, Alain, Benoît, Jérôme, François, Olivier, Thierry, Christophe, "
        "Frédéric, Sébastien, Nicolas, Julien, Maxime, Antoine, Guillaume, Cédric, Grégory, Hugo, Théo, "
        "Louis, Arnaud, Xavier, Quentin, Rémi, Jérémy, Maël, Raphaël, Loïc, Joël, Mohamed, Rachid, Giuseppe, "
        "Marco, Ahmed, Marie, Anne, Isabelle, Catherine, Nathalie, Sophie, Valérie, Véronique, Sandrine, "
        "Céline, Aurélie, Émilie, Julie, Caroline, Laurence, Hélène, Géraldine, Noémie, Zoé, Léa, Chloé, "
        "Manon, Camille, Pauline, Mélanie, Gaëlle, Anaïs, Maïté, Françoise, Bénédicte, Stéphanie, Amélie, "
        "Laetitia, Fatima, Samira, Giulia"
    ),
    "de": _names(
        "Jürgen, Jörg, Björn, Klaus, Stefan, Andreas, Markus, Thomas, Michael, Christian, Matthias, Lukas, "
        "Jonas, Tobias, Dieter, Günter, Rüdiger, Sören, Patrick, René, Ursula, Jutta, Sabine, Petra, Monika, "
        "Karin, Anja, Katrin, Birgit, Jessica, Lena, Hannah, Jana, Lisa, Bärbel, Jennifer, Sandra, Nadine, "
        "Marion, Sarah"
    ),
}
LAST_NAMES = {
    "nl": _names(
        "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, Dubois, "
        "Hermans, Aerts, Michiels, Pauwels, Vermeulen, De Clercq, Van Damme, Lambrechts, Desmet, Martens, "
        "Verstraete, Vandenberghe, Cools, Segers, Smets, Van den Broeck, Van de Velde, De Backer, De Meyer, "
        "Verhoeven, Coppens, Stevens, Leemans, Claessens, Verbruggen, Van Acker, Baert, Declercq, Vandamme, "
        "Verbeke, Van Hoof, De Vos, Hendrickx, De Wilde, Geerts, Van Dyck, Wuyts, Bosmans, D'Hondt, Devos, "
        "Van Laere, Vanhove, Vercammen, Schepens, Dierickx, Vanderheyden, Van Gorp, Cuypers, Heylen, Luyten, "
        "Van Roey, Nuyts, Bogaert, Van Hecke, Verhaegen, De Cock, Moens, Dewulf, Vansteenkiste, Callens, "
        "Vandenbussche, Deprez, Van Belle, Gyselinck, Deneve, Ceulemans, Van Looy, Verlinden, Thys, Vanneste, "
        "Ghysels, Sterckx, Bruyninckx, El Amrani, Yilmaz, Benali, Öztürk, Rossi, Kowalski, Van Ransbeeck, "
        "Verschueren"
    ),
    "fr": _names(
        "Dubois, Lambert, Dupont, Martin, Simon, Laurent, Leclercq, Lejeune, Renard, Lemaire, Collard, "
        "Delvaux, Gérard, Mathieu, Lefèvre, Piérard, Frère, Wéry, Hénin, François, Henry, Denis, Thiry, "
        "Lecomte, Fontaine, Charlier, Michaux, Hubert, Jacquet, Leroy, Noël, Pirotte, Delhaye, Lhoest, "
        "Dumont, Masson, Lambotte, Wauters, Gilson, Marchal, Pirson, Lemoine, Rousseau, Bertrand, Collignon, "
        "Lefebvre, Bastin, Hardy, Poncelet, Marchand, Léonard, Dessart, Detry, Closset, Dethier, Hansen, "
        "Thonon, Defossé, Gillet, Jamar, Jadot, Remacle, Delcourt, Kinet, Warnier, Grégoire, Évrard, Désiré, "
        "Lhermitte, Dufrasne, Vanderlinden, Van Hamme, Ngoy, Mbuyi, Benjelloun, El Khattabi, Bianchi, Russo, "
        "Esposito, Romano, Nowak, Fernández, García, Lemmens"
    ),
    "de": _names(
        "Müller, Schmitz, Heinen, Kohnen, Kreusch, Mießen, Lambertz, Paasch, Radermacher, Jousten, Schröder, "
        "Krings, Cremer, Thönnissen, Küpper, Förster, Hilligsmann, Gennen, Pankert, Brüll, Klinkenberg, "
        "Offermann, Maraite, Schleck, Weynand, Kessler, Hönen, Ortmann, Schumacher, Mertes, Hagelstein, "
        "Braun, Jost, Reuter, Lentz, Wintgens, Zimmermann, Fickers, Dederichs, Görtz"
    ),
}


def _slug(text: str) -> str:
    """ASCII letters only, for e-mail addresses: "D'Hondt" → "dhondt", "Jürgen" → "jurgen"."""
    text = text.replace("ß", "ss")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def _unit_name(names: dict[str, str], languages: tuple[str, ...], place: str = "", **values: str) -> str:
    """The name in each of ``languages``; ``place`` may itself be bilingual ("Brussel / Bruxelles")."""
    places = place.split(" / ")
    return " / ".join(
        names[language].format(site=places[min(i, len(places) - 1)], **values)
        for i, language in enumerate(languages)
    )


def _place(site: SiteSpec) -> str:
    """The town of a site's address ("2321 Meer" → "Meer"), used in unit names."""
    return site.address.split(" ", 1)[1]


def _units_build() -> list[UnitSpec]:
    sites = {site.code: site for site in SITES}
    regions = {region.code: region for region in REGIONS}
    units: list[UnitSpec] = []

    def add(
        code: str, name: str, parent: UnitSpec | None, site_code: str, kind: str, weight: int
    ) -> UnitSpec:
        path = f"{parent.path if parent else '/'}{code}/"
        is_operational = KINDS[kind].is_operational if kind in KINDS else False
        unit = UnitSpec(
            code, name, parent.code if parent else None, path, site_code, kind, is_operational, weight
        )
        units.append(unit)
        return unit

    bilingual = ("nl", "fr")
    root = add(ROOT_CODE, _unit_name(KINDS["root"].names, bilingual), None, "BRU-NGC", "root", 4)
    generals = {
        code: add(
            code,
            f"Algemene directie {nl.lower()} / Direction générale {fr.lower()}",
            root,
            "BRU-NGC",
            "general",
            4,
        )
        for code, nl, fr in GENERAL_DIRECTORATES
    }
    for region_code, plan in _REGION_PLANS.items():
        city = sites[f"{region_code}-CITY"] if f"{region_code}-CITY" in sites else sites["BRU-TT"]
        languages = city.name_languages
        region = regions[region_code]
        region_name = " / ".join(
            getattr(region, f"name_{language}", region.name_fr) for language in languages
        )

        def directorate(
            gd: str,
            *,
            region_code: str = region_code,
            region_name: str = region_name,
            languages: tuple[str, ...] = languages,
            city: SiteSpec = city,
        ) -> UnitSpec:
            return add(
                f"{gd}-{region_code}",
                _unit_name(_DIRECTORATE_NAMES[gd], languages, region_name),
                generals[gd],
                city.code,
                "regional",
                3,
            )

        def team(parent: UnitSpec, suffix: str, kind: str, site_code: str, **values: str) -> UnitSpec:
            site = sites[site_code]
            name = _unit_name(KINDS[kind].names, site.name_languages, _place(site), **values)
            return add(f"{parent.code}-{suffix}", name, parent, site_code, kind, KINDS[kind].weight)

        ops = directorate("OPS")
        for number, site_code in enumerate(plan["brigade"], start=1):
            team(ops, f"BMC{number}", "brigade", site_code, n=str(number))
        for site in (s for s in SITES if s.region_code == region_code and s.code not in ("BRU-NGC",)):
            team(ops, f"DK-{site.code.split('-', 1)[1]}", "office", site.code)
        for kind, prefix in (("port", "PORT"), ("scanning", "SCAN"), ("airport", "AIR"), ("excise", "EXC")):
            for number, site_code in enumerate(plan[kind], start=1):
                team(ops, f"{prefix}{number}", kind, site_code, n=str(number))
        for site_code in plan["border"]:
            team(ops, f"GP-{site_code.split('-', 1)[1]}", "border", site_code)
        team(ops, "K9", "dogs", city.code)
        team(ops, "ARMS", "weapons", city.code)

        ctl = directorate("CTL")
        for number in range(1, _AUDIT_TEAMS[region_code] + 1):
            team(ctl, f"AUD{number}", "audit", city.code, n=str(number))
        team(ctl, "EXCA", "excise_audit", city.code)
        team(ctl, "LIC", "licences", city.code)

        inv = directorate("INV")
        for number, site_code in enumerate(plan["investigation"], start=1):
            team(inv, f"OT{number}", "investigation", site_code, n=str(number))
        team(inv, "OBS", "observation", city.code)
        team(inv, "INT", "intelligence", city.code)

        sup = directorate("SUP")
        for kind, suffix in (
            ("accounting", "ACC"),
            ("disputes", "DISP"),
            ("hr", "HR"),
            ("it", "IT"),
            ("logistics", "LOG"),
        ):
            team(sup, suffix, kind, city.code)

    for code, weight, name_nl, name_fr, _functions in CENTRAL_UNITS:
        units.append(
            UnitSpec(
                code,
                f"{name_nl} / {name_fr}",
                "CEN",
                f"{generals['CEN'].path}{code}/",
                "BRU-NGC",
                "central",
                False,
                weight,
            )
        )
    return units


def _unit_functions(unit: UnitSpec) -> tuple[str, ...]:
    if unit.kind == "central":
        return next(functions for code, *_rest, functions in CENTRAL_UNITS if code == unit.code)
    return KINDS[unit.kind].functions


def _armed_share(unit: UnitSpec) -> float:
    if unit.kind == "central":
        return 0.0
    if unit.kind == "regional" and unit.code.startswith(("OPS-", "INV-")):
        return 0.1
    return KINDS[unit.kind].armed


def _headcounts(units: list[UnitSpec], total: int) -> list[int]:
    """Split ``total`` over the units in proportion to their weights (largest remainder)."""
    weight_sum = sum(unit.weight for unit in units)
    exact = [total * unit.weight / weight_sum for unit in units]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(units)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _start_date(rng: random.Random, today: date) -> date:
    """Hiring spread over 35 years, with the recruitment wave after Brexit (2019-2022) visible."""
    days_ago = rng.randint(4 * 365, 7 * 365) if rng.random() < 0.22 else rng.randint(30, 35 * 365)
    return today - timedelta(days=days_ago)


def roster_generate(
    *, employees: int = DEFAULT_EMPLOYEES, seed: int = DEFAULT_SEED, today: date
) -> DemoRoster:
    """The whole synthetic administration; the same ``seed`` and ``today`` give the same roster."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    sites = {site.code: site for site in SITES}
    units = _units_build()
    headcounts = _headcounts(units, employees)
    name_counts: Counter[tuple[str, str]] = Counter()
    drafts: list[dict[str, object]] = []
    for unit, headcount in zip(units, headcounts, strict=True):
        site = sites[unit.site_code]
        functions = _unit_functions(unit)
        armed_share = _armed_share(unit)
        for position in range(headcount):
            language = rng.choices(("nl", "fr", "de"), weights=site.languages)[0]
            first_name = rng.choice(FIRST_NAMES[language])
            last_name = rng.choice(LAST_NAMES[language])
            name_counts[(_slug(first_name), _slug(last_name))] += 1
            first_slug, last_slug = _slug(first_name), _slug(last_name)
            if position == 0:
                function_key = (
                    "director"
                    if unit.kind in ("root", "general", "regional")
                    else ("brigade_chief" if unit.kind == "brigade" else "head")
                )
            else:
                function_key = rng.choice(functions)
            start = _start_date(rng, today)
            is_active = rng.random() >= 0.04
            end = None
            if not is_active:
                end = max(start, today - timedelta(days=rng.randint(1, 730)))
            drafts.append(
                {
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{first_slug}.{last_slug}.{name_counts[(first_slug, last_slug)]}@{EMAIL_DOMAIN}",
                    "language": language,
                    "unit_code": unit.code,
                    "site_code": unit.site_code,
                    "function": FUNCTIONS[function_key][language],
                    "is_armed": rng.random() < armed_share,
                    "is_active": is_active,
                    "start_date": start,
                    "end_date": end,
                }
            )
    # Personnel numbers are unique six-digit strings, given in order of hiring.
    numbers = sorted(rng.sample(range(100000, 1000000), len(drafts)))
    hiring_order = sorted(range(len(drafts)), key=lambda i: (drafts[i]["start_date"], i))
    for number, i in zip(numbers, hiring_order, strict=True):
        drafts[i]["personnel_number"] = str(number)
    roster = DemoRoster(
        regions=list(REGIONS),
        sites=list(SITES),
        units=units,
        employees=[EmployeeSpec(**draft) for draft in drafts],  # type: ignore[arg-type]
    )
    _demo_people_choose(roster)
    return roster


def _demo_people_choose(roster: DemoRoster) -> None:
    """Pick the employee behind each demo login, and the three units the manager manages."""
    taken: set[str] = set()

    def pick(language: str, *unit_codes: str, function: str = "") -> EmployeeSpec | None:
        """The first free active employee in ``unit_codes`` speaking ``language``; failing that (small
        rosters), one in those units, then one speaking the language, then anyone."""
        free = [e for e in roster.employees if e.is_active and e.personnel_number not in taken]
        in_units = [
            e
            for e in free
            if (not unit_codes or e.unit_code in unit_codes)
            and (not function or e.function == FUNCTIONS[function][e.language])
        ]
        for candidates in (
            [e for e in in_units if e.language == language],
            in_units,
            [e for e in free if e.language == language],
            free,
        ):
            if candidates:
                taken.add(candidates[0].personnel_number)
                return candidates[0]
        return None

    manager_units = [u.code for u in roster.units if u.code.startswith("OPS-LIE-BMC")][:3]
    roster.manager_unit_codes = manager_units
    chosen = {
        "manager": pick("fr", manager_units[0]),
        "employee": pick(
            "nl", *[u.code for u in roster.units if u.code.startswith("OPS-ANT-BMC")], function="agent"
        ),
        "instructor": pick("fr", "CEN-TRAIN"),
        "coordinator": pick("nl", "CEN-TRAIN"),
        "inspector": pick("nl", "CEN-INTEG"),
        "head_of_service": pick("fr", "CEN-INTEG"),
        "administrator": pick("nl", "CEN-IT-OPS", "CEN-HELP"),
    }
    functions = {"instructor": "trainer", "coordinator": "coordinator"}
    replaced: dict[str, EmployeeSpec] = {}
    for role, employee in chosen.items():
        if employee is None:
            continue
        changes: dict[str, object] = {"email": f"{role}@{EMAIL_DOMAIN}"}
        if role in functions:
            changes["function"] = FUNCTIONS[functions[role]][employee.language]
        replaced[employee.personnel_number] = replace(employee, **changes)  # type: ignore[arg-type]
        roster.login_employees[role] = employee.personnel_number
    roster.employees = [replaced.get(e.personnel_number, e) for e in roster.employees]


def roster_fingerprint(roster: DemoRoster) -> str:
    """A short digest of every generated row: equal fingerprints mean equal rosters."""
    digest = hashlib.sha256()
    for unit in roster.units:
        digest.update(repr(unit).encode())
    for employee in roster.employees:
        digest.update(repr(employee).encode())
    digest.update(repr(sorted(roster.login_employees.items())).encode())
    return digest.hexdigest()[:16]


def demo_present() -> str | None:
    """What already stands in the way of seeding (demo logins, employees or units), or None."""
    logins = list(
        User.objects.filter(username__in=[login.role for login in DEMO_LOGINS]).values_list(
            "username", flat=True
        )
    )
    if logins:
        return f"the demo logins ({', '.join(sorted(logins))})"
    if Employee.objects.exists():
        return f"{Employee.objects.count()} employees"
    if OrgUnit.objects.exists():
        return f"{OrgUnit.objects.count()} organisational units"
    return None


@dataclass(frozen=True)
class SeedSummary:
    regions: int
    sites: int
    units: int
    employees: int
    logins: int


@transaction.atomic
def demo_seed(*, roster: DemoRoster, password: str = DEMO_PASSWORD) -> SeedSummary:
    """Write ``roster`` and one login per role, all or nothing. Regions and sites that already
    exist with the same code are reused; the caller checks ``demo_present`` first."""
    regions = {
        region.code: region for region in Region.objects.filter(code__in=[r.code for r in roster.regions])
    }
    Region.objects.bulk_create(
        Region(code=r.code, name_nl=r.name_nl, name_fr=r.name_fr, name_en=r.name_en)
        for r in roster.regions
        if r.code not in regions
    )
    regions = {
        region.code: region for region in Region.objects.filter(code__in=[r.code for r in roster.regions])
    }
    sites = {site.code: site for site in Site.objects.filter(code__in=[s.code for s in roster.sites])}
    Site.objects.bulk_create(
        Site(code=s.code, name=s.name, region=regions[s.region_code], address=s.address)
        for s in roster.sites
        if s.code not in sites
    )
    sites = {site.code: site for site in Site.objects.filter(code__in=[s.code for s in roster.sites])}

    # Level by level, so that every parent has its primary key before its children are inserted;
    # ``path`` is set here because bulk_create does not call ``OrgUnit.save``.
    units: dict[str, OrgUnit] = {}
    for depth in sorted({spec.path.count("/") for spec in roster.units}):
        level = [
            OrgUnit(
                code=spec.code,
                name=spec.name,
                parent=units[spec.parent_code] if spec.parent_code else None,
                path=spec.path,
                site=sites[spec.site_code],
                is_operational=spec.is_operational,
            )
            for spec in roster.units
            if spec.path.count("/") == depth
        ]
        for unit in OrgUnit.objects.bulk_create(level):
            units[unit.code] = unit

    Employee.objects.bulk_create(
        (
            Employee(
                personnel_number=e.personnel_number,
                first_name=e.first_name,
                last_name=e.last_name,
                email=e.email,
                language=e.language,
                unit=units[e.unit_code],
                site=sites[e.site_code],
                function=e.function,
                is_armed=e.is_armed,
                is_active=e.is_active,
                start_date=e.start_date,
                end_date=e.end_date,
            )
            for e in roster.employees
        ),
        batch_size=1000,
    )

    employees = {
        e.personnel_number: e
        for e in Employee.objects.filter(personnel_number__in=roster.login_employees.values())
    }
    for login in DEMO_LOGINS:
        employee = employees.get(roster.login_employees.get(login.role, ""))
        user = user_create(
            actor=None,
            username=login.role,
            email=f"{login.role}@{EMAIL_DOMAIN}",
            first_name=employee.first_name if employee else login.role.capitalize(),
            last_name=employee.last_name if employee else "Demo",
            language=login.language,
            roles=[login.role],
            password=password,
        )
        if employee is not None:
            employee.user = user
            employee.save(update_fields=["user", "updated_at"])
        if login.role == "manager":
            user.managed_units.set([units[code] for code in roster.manager_unit_codes])
    return SeedSummary(
        regions=len(regions),
        sites=len(sites),
        units=len(units),
        employees=len(roster.employees),
        logins=len(DEMO_LOGINS),
    )
