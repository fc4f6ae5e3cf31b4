"""An employee pastes a risky Dutch draft and adds a photo with a GPS position in its EXIF and DOUANE
written on it; sees the findings marked in the text and explained, the photo with a box around the marking
that leads to its finding, and downloads a cleaned copy of the photo and one with the marking masked.
axe-core checks the page and the results in Dutch and in French, and a warning that only the classifier
gives, with the words that weigh most marked."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import piexif
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.postcheck.analyzers.photo import analyze_photo
from deonto.postcheck.tests.photos import photo_with_gps

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = (
    "Mooie vangst vandaag in de haven van Antwerpen: 200 kg coke in een container! "
    "Morgen om 6u weer controle aan de Deurganckdok."
)


def _check(page: Page, photo: Path) -> None:
    page.locator("#id_text").fill(DRAFT)
    page.locator("#id_photo").set_input_files(str(photo))
    page.locator("#check-form button.primary").click()
    expect(page.locator("#results-heading")).to_be_focused(timeout=20_000)


def test_an_employee_checks_a_draft_with_a_photo_and_downloads_it_cleaned(
    page: Page, live_server: Any, make_user: Any, guidance: Any, tmp_path: Path, assert_accessible: Any
) -> None:
    make_user(Role.EMPLOYEE, username="eva", language="nl")
    photo = tmp_path / "dienst.jpg"
    photo.write_bytes(photo_with_gps())
    base = live_server.url

    log_in(page, base, "eva", PASSWORD)
    page.locator("nav a[href='/check/']").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, "post check (nl)")

    _check(page, photo)
    marks = page.locator(".postcheck-text mark")
    expect(marks.first).to_be_visible()
    assert "vangst" in " ".join(marks.all_inner_texts()).lower()
    first_mark = page.locator(".postcheck-text a.postcheck-mark").first
    target = first_mark.get_attribute("href")
    assert target and target.startswith("#finding-")
    expect(page.locator(target)).to_be_visible()
    expect(page.locator(".postcheck-findings a[href='/guidance/discretion/']").first).to_be_visible()
    expect(page.locator(".facts")).to_contain_text(re.compile(r"51[.,]2637"))
    expect(page.locator("#results")).to_contain_text("DOUANE")
    # The photo is shown with a box around the marking; the box leads to its finding.
    box = page.locator(".postcheck-photo a.postcheck-box")
    expect(box).to_have_count(1)
    box_target = box.get_attribute("href")
    assert box_target and box_target.startswith("#finding-")
    box.click()
    expect(page).to_have_url(re.compile(re.escape(box_target) + "$"))
    expect(page.locator(box_target)).to_contain_text("herkenbaar")
    assert_accessible(page, "post check results (nl)")

    with page.expect_download() as download_info:
        page.locator("#results button[formaction='/check/clean/']").click()
    download = download_info.value
    assert download.suggested_filename == "dienst-clean.jpg"
    cleaned = Image.open(io.BytesIO(Path(download.path()).read_bytes()))
    exif = cleaned.info.get("exif")
    assert not exif or not piexif.load(exif)["GPS"]
    # The draft is still there, ready to be edited.
    expect(page.locator("#id_text")).to_have_value(DRAFT)
    # And a copy with the boxed marking masked, also without metadata: the marking is ticked to be masked,
    # and with nothing ticked the button is off.
    mask = page.locator("input[name=mask]")
    expect(mask).to_be_checked()
    mask.uncheck()
    expect(page.locator("#masked-download")).to_be_disabled()
    mask.check()
    with page.expect_download() as download_info:
        page.locator("#results button[formaction='/check/masked/']").click()
    masked = download_info.value
    assert masked.suggested_filename == "dienst-masked.jpg"
    assert "DOUANE" not in analyze_photo(Path(masked.path()).read_bytes(), language="nl").ocr_text

    switch_language(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page, "post check (fr)")
    _check(page, photo)
    expect(page.locator(".postcheck-text mark").first).to_be_visible()
    assert_accessible(page, "post check results (fr)")

    # No rule matches this sarcasm; the classifier warns and marks the words that weigh most.
    page.locator("#id_text").fill("Vive la direction qui nous supprime encore deux postes, bravo les génies")
    page.locator("#id_photo").set_input_files([])
    page.locator("#check-form button.primary").click()
    expect(page.locator(".postcheck-text mark")).to_have_text(["direction qui nous"], timeout=20_000)
    expect(page.locator(".postcheck-findings")).to_contain_text("les mots surlignés pèsent le plus")
    assert_accessible(page, "post check, a warning of the classifier (fr)")


def test_an_empty_check_says_what_to_do_and_stays_accessible(
    page: Page, live_server: Any, make_user: Any, assert_accessible: Any
) -> None:
    make_user(Role.EMPLOYEE, username="emma", language="fr")
    log_in(page, live_server.url, "emma", PASSWORD)
    page.goto(f"{live_server.url}/check/")
    page.locator("#check-form button.primary").click()
    expect(page.locator("#results [role=alert]")).to_be_visible()
    assert_accessible(page, "post check refused (fr)")
