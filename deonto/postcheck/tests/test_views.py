"""The "check before you post" page: highlights, messages for bad input, the cleaned photo, in memory."""

from __future__ import annotations

import base64
import io

import piexif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from deonto.accounts.roles import Role
from deonto.postcheck.analyzers.photo import analyze_photo
from deonto.postcheck.tests.photos import gps_exif, photo_with_gps

pytestmark = pytest.mark.django_db

RISKY = (
    "Mooie vangst vandaag in de haven van Antwerpen: 200 kg coke in een container. "
    "Rijksregisternummer 85.07.30-033.28"
)
URL = "/check/"


@pytest.fixture
def client(client_for, guidance):
    return client_for(Role.EMPLOYEE, language="en")


def test_the_page_asks_for_the_draft_and_the_photo(client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Check before you post" in content
    assert 'name="text"' in content and 'name="photo"' in content and 'name="language"' in content
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize(
    ("language", "help_text"),
    [
        ("nl", "HEIC of GIF, hoogstens 15 MB"),
        ("fr", "HEIC ou GIF, 15 Mo au maximum"),
        ("en", "at most 15 MB"),
    ],
)
def test_the_photo_limits_are_told_in_the_readers_language(client_for, language, help_text) -> None:
    content = client_for(Role.EMPLOYEE, language=language).get(URL).content.decode()
    assert help_text in content


def test_visitors_must_log_in(client) -> None:
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_risky_draft_is_shown_with_its_findings_marked_and_explained(client) -> None:
    response = client.post(URL, {"text": RISKY, "language": ""})
    content = response.content.decode()
    result = response.context["result"]
    assert result.language == "nl"
    assert result.count >= 3
    assert '<a class="postcheck-mark postcheck-high" href="#finding-1"><mark>' in content
    assert 'id="finding-1"' in content
    assert "85.07.30-033.28</mark>" in content
    assert result.groups[0].severity == "high"
    assert reverse("knowledge:detail", args=["discretion"]) in content
    # What was typed stays in the form.
    assert "Rijksregisternummer 85.07.30-033.28</textarea>" in content


def test_findings_that_say_the_same_thing_are_one_item_with_every_place_marked(client) -> None:
    text = "Vanavond controle aan de E40 ter hoogte van Jabbeke."
    response = client.post(URL, {"text": text, "language": "nl"})
    content = response.content.decode()
    result = response.context["result"]
    [location] = [
        item for group in result.groups for item in group.findings if item.finding.category == "location"
    ]
    assert [finding.excerpt for finding in location.findings] == ["E40", "ter hoogte van"]
    assert result.count == 2, "the control and the place it names, not one item per place"
    assert content.count(location.finding.explanation) == 1
    assert "<q>E40</q>, <q>ter hoogte van</q>" in content
    assert f'href="#{location.anchor}"><mark>E40</mark>' in content
    assert f'href="#{location.anchor}"><mark>ter hoogte van</mark>' in content


def test_findings_with_different_messages_stay_apart(client) -> None:
    response = client.post(URL, {"text": RISKY, "language": "nl"})
    items = [item for group in response.context["result"].groups for item in group.findings]
    messages = [(item.finding.category, item.finding.explanation, item.finding.source) for item in items]
    assert len(messages) == len(set(messages))
    assert sum(len(item.findings) for item in items) == len(items), (
        "nothing in this draft says the same twice"
    )


def test_a_warning_of_the_classifier_marks_the_words_that_weigh_most_and_says_so(client) -> None:
    text = "Vive la direction qui nous supprime encore deux postes, bravo les génies"
    response = client.post(URL, {"text": text, "language": "fr"})
    content = response.content.decode()
    [item] = [item for group in response.context["result"].groups for item in group.findings]
    assert item.from_classifier and item.finding.category == "employer-criticism"
    assert f'href="#{item.anchor}"><mark>direction qui nous</mark>' in content
    assert (
        "Found from the wording of your post as a whole, not from one rule; the marked words weigh most."
        in content
    )


def test_the_chosen_language_is_used_and_said(client) -> None:
    response = client.post(URL, {"text": RISKY, "language": "fr"})
    assert response.context["result"].language == "fr"
    assert "as you chose" in response.content.decode()


def test_a_harmless_draft_gets_no_findings(client) -> None:
    response = client.post(URL, {"text": "Wat een mooie zonsondergang aan zee vanavond met de kinderen!"})
    assert response.context["result"].count == 0
    assert "We found nothing risky. This check misses many risks" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "There is nothing to check"),
        ("x" * 100_000, "The text is too long to check: a post of at most 20 000 characters"),
    ],
)
def test_bad_text_gets_a_clear_message_and_keeps_what_was_typed(client, text, message) -> None:
    response = client.post(URL, {"text": text})
    content = response.content.decode()
    assert message in content
    assert 'role="alert"' in content
    assert response.context["form"].errors["text"]
    assert response.context["form"]["text"].value() == text


def test_a_file_that_is_not_an_image_is_refused_and_the_text_kept(client) -> None:
    upload = SimpleUploadedFile("notes.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(URL, {"text": "Mijn tekst", "photo": upload})
    content = response.content.decode()
    assert "This file is not a photo that can be read" in content
    assert response.context["form"].errors["photo"]
    assert "Mijn tekst</textarea>" in content


def test_a_photo_over_the_limit_is_refused_without_reading_it_whole(client, monkeypatch) -> None:
    monkeypatch.setattr("deonto.postcheck.forms.MAX_FILE_BYTES", 1000)
    upload = SimpleUploadedFile("big.jpg", b"\xff" * 5000, content_type="image/jpeg")
    response = client.post(URL, {"text": "Mijn tekst", "photo": upload})
    assert "The photo is too large to check" in response.content.decode()
    assert response.context["form"]["text"].value() == "Mijn tekst"


def test_uploads_are_never_written_to_a_temporary_file(client, settings, tmp_path) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    upload = SimpleUploadedFile("photo.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("postcheck:clean"), {"photo": upload})
    assert response.status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_a_photo_shows_its_metadata_and_what_is_read_in_it(client) -> None:
    upload = SimpleUploadedFile("photo.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(URL, {"text": "", "photo": upload})
    result = response.context["result"]
    assert result.photo is not None
    assert result.photo.metadata.latitude == pytest.approx(51.2637, abs=1e-3)
    categories = {item.finding.category for group in result.groups for item in group.findings}
    assert "location" in categories
    content = response.content.decode()
    assert "Download a cleaned copy" in content
    assert f'formaction="{reverse("postcheck:clean")}"' in content


def test_the_photo_is_shown_with_a_numbered_box_linking_to_each_finding_found_in_it(client) -> None:
    upload = SimpleUploadedFile("photo.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(URL, {"text": "", "photo": upload})
    result = response.context["result"]
    marking = next(
        item for group in result.groups for item in group.findings if item.finding.rule == "photo:marking"
    )
    figure = result.photo_figure
    assert (figure.width, figure.height) == (1400, 500)
    [box] = [box for box in figure.boxes if box.item is marking]
    x, y, width, height = marking.finding.box
    assert box.x <= x and box.y <= y and x + width <= box.x + box.width and y + height <= box.y + box.height
    assert {box.item.finding.source for box in figure.boxes} == {
        "photo-content"
    }  # GPS and serial have no place
    content = response.content.decode()
    assert '<svg viewBox="0 0 1400 500"' in content
    assert f'<a href="#{marking.anchor}" class="postcheck-box postcheck-warning"' in content
    assert f'<rect class="postcheck-box-line" x="{box.x}" y="{box.y}"' in content
    assert "Each box marks something we found" in content
    preview = Image.open(
        io.BytesIO(base64.b64decode(figure.image_uri.removeprefix("data:image/jpeg;base64,")))
    )
    assert preview.size == (960, 343)
    assert not preview.getexif()


def test_the_cleaned_copy_is_a_download_without_metadata(client) -> None:
    upload = SimpleUploadedFile("Holiday Photo.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("postcheck:clean"), {"photo": upload})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="holiday-photo-clean.jpg"'
    cleaned = Image.open(io.BytesIO(response.content))
    exif = piexif.load(cleaned.info.get("exif", b"")) if cleaned.info.get("exif") else {"GPS": {}}
    assert not exif["GPS"]


@pytest.mark.parametrize("url", ["postcheck:clean", "postcheck:masked"])
def test_downloading_a_copy_without_the_photo_asks_for_it_again(client, url) -> None:
    response = client.post(reverse(url), {"text": "Mijn tekst", "mask": ["10,10,50,50"]})
    assert "Choose the photo again to download a copy of it" in response.content.decode()
    assert response.context["form"]["text"].value() == "Mijn tekst"


def test_the_masked_copy_hides_the_places_ticked_and_only_those(client) -> None:
    page = client.post(URL, {"text": "", "photo": SimpleUploadedFile("a.jpg", photo_with_gps())})
    [box] = page.context["result"].photo_figure.boxes
    assert f'name="mask" value="{box.mask_value}" form="check-form" checked' in page.content.decode()

    def masked(*ticked: str) -> bytes:
        upload = SimpleUploadedFile("Dienst Foto.jpg", photo_with_gps(), content_type="image/jpeg")
        response = client.post(
            reverse("postcheck:masked"), {"text": "", "photo": upload, "mask": list(ticked)}
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == 'attachment; filename="dienst-foto-masked.jpg"'
        return response.content

    copy = masked(box.mask_value)
    image = Image.open(io.BytesIO(copy))
    assert image.size == (1400, 500) and not image.getexif()
    assert "DOUANE" not in analyze_photo(copy, language="en").ocr_text
    elsewhere = masked("0,0,100,100")
    assert "DOUANE" in analyze_photo(elsewhere, language="en").ocr_text


def test_a_masked_copy_with_no_place_ticked_says_so(client) -> None:
    upload = SimpleUploadedFile("a.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("postcheck:masked"), {"text": "Mijn tekst", "photo": upload})
    assert "Tick at least one place to mask" in response.content.decode()
    assert response.context["form"]["text"].value() == "Mijn tekst"


@pytest.mark.parametrize("value", ["1,2,3", "a,b,c,d", "1,2,3,4;5", "-1,2,3,4", "1234567,0,1,1"])
def test_places_to_mask_the_page_did_not_send_are_refused(client, value) -> None:
    upload = SimpleUploadedFile("a.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("postcheck:masked"), {"photo": upload, "mask": [value]})
    assert response.status_code == 400


def test_a_photo_with_nothing_boxed_offers_no_masked_copy(client) -> None:
    plain = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(plain, "JPEG", exif=gps_exif())
    response = client.post(URL, {"text": "", "photo": SimpleUploadedFile("plain.jpg", plain.getvalue())})
    content = response.content.decode()
    assert "Download a cleaned copy" in content
    assert reverse("postcheck:masked") not in content


def test_htmx_gets_only_the_results(client) -> None:
    response = client.post(URL, {"text": RISKY}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<textarea" not in content


def test_the_page_checks_the_csrf_token(make_user) -> None:
    from django.test import Client

    from conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), make_user(Role.EMPLOYEE))
    assert client.post(URL, {"text": RISKY}).status_code == 403
    assert client.post(reverse("postcheck:clean"), {}).status_code == 403


def test_every_signed_in_user_has_the_page_in_the_menu(client) -> None:
    assert f'href="{URL}"' in client.get(reverse("core:home")).content.decode()


def test_a_check_needs_a_few_queries_whatever_it_finds(client, django_assert_max_num_queries) -> None:
    client.post(URL, {"text": "warm-up"})
    # Twelve, and since the sensitivity is set in the admin, one more: the newest version of it.
    with django_assert_max_num_queries(13):
        client.post(URL, {"text": RISKY * 5})


def test_every_reason_to_refuse_an_input_has_its_own_message() -> None:
    from django.utils import translation

    from deonto.postcheck.analyzers.findings import INPUT_REJECTED_CODES
    from deonto.postcheck.forms import REJECTIONS, rejection_message

    assert set(REJECTIONS) >= INPUT_REJECTED_CODES
    with translation.override("en"):
        messages = {rejection_message(code) for code in INPUT_REJECTED_CODES}
    assert len(messages) == len(INPUT_REJECTED_CODES)


def test_an_image_of_an_unsupported_kind_is_refused(client) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "BMP")
    upload = SimpleUploadedFile("scan.bmp", buffer.getvalue(), content_type="image/bmp")
    response = client.post(URL, {"text": "Mijn tekst", "photo": upload})
    assert "This kind of image cannot be checked" in response.content.decode()
