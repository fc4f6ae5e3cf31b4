"""Identifiers are found only when their check digits hold; everything else is just a number."""

import pytest

from deonto.postcheck.analyzers.identifiers import find_identifiers


def _kinds(text):
    return [(match.kind, match.text) for match in find_identifiers(text)]


@pytest.mark.parametrize("number", ["85.07.30-033.28", "85073003328", "850730 033 28", "85.07.30 033-28"])
def test_a_national_register_number_is_found_in_its_usual_spellings(number):
    assert _kinds(f"Zijn nummer is {number}, noteer het.") == [("national-register", number)]


def test_a_national_register_number_with_a_wrong_check_digit_is_not_one():
    assert _kinds("Zijn nummer is 85.07.30-033.29.") == []


def test_a_bis_number_is_told_apart_from_a_national_register_number():
    assert _kinds("BIS 85.27.30-033.71") == [("bis-number", "85.27.30-033.71")]


@pytest.mark.parametrize(
    "iban",
    [
        "BE68 5390 0754 7034",
        "BE68539007547034",
        "NL91 ABNA 0417 1643 00",
        "FR14 2004 1010 0505 0001 3M02 606",
    ],
)
def test_ibans_are_found_in_groups_or_in_one_block(iban):
    assert _kinds(f"Stort op {iban} aub") == [("iban", iban)]


def test_an_iban_followed_by_more_digits_keeps_only_its_own_groups():
    assert _kinds("rekening BE68 5390 0754 7034 2024 was de deadline") == [("iban", "BE68 5390 0754 7034")]


def test_an_iban_with_a_wrong_checksum_is_not_one():
    assert [kind for kind, _ in _kinds("Stort op BE68 5390 0754 7035 aub")] != ["iban"]


@pytest.mark.parametrize("container", ["MSCU1234566", "MSCU 123456 6", "MSCU 123456-6", "mscu1234566"])
def test_iso_6346_container_numbers_are_found(container):
    assert _kinds(f"Container {container} staat op de kaai") == [("container", container)]


def test_a_container_number_with_a_wrong_check_digit_is_not_one():
    assert _kinds("Container MSCU1234567 staat op de kaai") == []


@pytest.mark.parametrize("number", ["0403.170.701", "0403170701", "BE 0403.170.701", "BE0403170701"])
def test_belgian_company_numbers_are_found(number):
    assert _kinds(f"KBO {number} controleren") == [("company-number", number)]


def test_a_company_number_with_a_wrong_check_is_not_one():
    assert _kinds("KBO 0403.170.702 controleren") == []


@pytest.mark.parametrize("phone", ["0475 12 34 56", "+32 475 12 34 56", "02/511.22.33", "+32 2 511 22 33"])
def test_belgian_phone_numbers_are_found(phone):
    assert _kinds(f"Bel {phone} voor meer info") == [("phone", phone)]


def test_an_email_address_is_found():
    assert _kinds("Mail naar jan.peeters+werk@telenet.be voor de foto's.") == [
        ("email", "jan.peeters+werk@telenet.be")
    ]


@pytest.mark.parametrize("plate", ["1-ABC-123", "1ABC123", "2 XYZ 987", "ABC-123"])
def test_belgian_licence_plates_are_found(plate):
    assert _kinds(f"De wagen met plaat {plate} stond fout.") == [("licence-plate", plate)]


def test_flight_numbers_written_together_are_found():
    assert _kinds("Morgen met SN2583 naar Lissabon") == [("flight", "SN2583")]


def test_a_spaced_flight_number_needs_the_word_flight_before_it():
    assert _kinds("Onze vlucht SN 2583 vertrekt om acht uur") == [("flight", "SN 2583")]
    assert _kinds("Le vol FR 2024 est annulé") == [("flight", "FR 2024")]
    assert _kinds("Project FR 2024 loopt goed") == []


def test_ordinary_numbers_dates_and_amounts_are_not_identifiers():
    text = "Op 12.05.2024 om 14u30 kostte het 1.250,50 euro voor 3 kg kersen en 120 sigaretten, ref 2024/118."
    assert _kinds(text) == []


def test_identifiers_do_not_overlap_and_come_in_text_order():
    text = "IBAN BE68 5390 0754 7034, tel 0475 12 34 56, rr 85.07.30-033.28"
    assert [kind for kind, _ in _kinds(text)] == ["iban", "phone", "national-register"]
