import zipfile

import pytest
from django.core.management import CommandError, call_command

from deonto.training.models import Course

from .conftest import MINI

pytestmark = pytest.mark.django_db


def test_import_course_loads_a_bundle_and_says_so(guidance, capsys):
    call_command("import_course", str(MINI))

    assert Course.objects.filter(code="mini").exists()
    assert "Course mini version 1" in capsys.readouterr().out


def test_import_course_is_quiet_at_verbosity_zero_and_a_reload_changes_nothing(guidance, capsys):
    call_command("import_course", str(MINI), verbosity=0)
    call_command("import_course", str(MINI), verbosity=0)

    assert capsys.readouterr().out == ""


def test_import_course_reports_a_broken_bundle_as_a_command_error(guidance, mini):
    (mini / "course.yaml").write_text("format: something-else\n")

    with pytest.raises(CommandError, match=r"course\.yaml"):
        call_command("import_course", str(mini))


def test_export_course_writes_a_directory_or_a_zip(guidance, tmp_path):
    call_command("import_course", str(MINI), verbosity=0)

    call_command("export_course", "mini", str(tmp_path / "out"), verbosity=0)
    call_command("export_course", "mini", str(tmp_path / "mini.zip"), verbosity=0)

    assert (tmp_path / "out" / "modules" / "02-practice.yaml").is_file()
    assert "modules/01-basics.yaml" in zipfile.ZipFile(tmp_path / "mini.zip").namelist()


def test_export_course_refuses_an_unknown_course(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_course", "nothing", str(tmp_path / "out"))
