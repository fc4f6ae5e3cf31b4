"""`python manage.py check_post`: the command line with the rules and sensitivity in force in Deonto."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from deonto.accounts.roles import Role
from deonto.postcheck.analyzers.__main__ import main
from deonto.postcheck.models import CategoryCount
from deonto.postcheck.services import rule_save, rules_sync_shipped
from deonto.postcheck.tests.rules import text_rule

pytestmark = pytest.mark.django_db

DRAFT = "Vandaag de geheime actie op de kaai voorbereid."


def _rules_found(capsys, *argv: str) -> set[str]:
    call_command("check_post", *argv)
    return {finding["rule"] for finding in json.loads(capsys.readouterr().out)["findings"]}


def test_a_rule_edited_in_deonto_applies_to_the_command_and_not_to_the_shipped_command_line(
    make_user, guidance, tmp_path, capsys
) -> None:
    rules_sync_shipped()
    rule_save(actor=make_user(Role.HEAD_OF_SERVICE), rule=text_rule(code="nl-secret-action"))
    post = tmp_path / "post.txt"
    post.write_text(DRAFT, encoding="utf-8")

    assert "nl-secret-action" in _rules_found(capsys, "--lang", "nl", str(post))
    assert main(["--lang", "nl", str(post)]) == 0
    assert "nl-secret-action" not in {
        finding["rule"] for finding in json.loads(capsys.readouterr().out)["findings"]
    }


def test_the_command_counts_nothing(tmp_path, capsys) -> None:
    post = tmp_path / "post.txt"
    post.write_text("Mooie vangst vandaag: 200 kg coke in een container.", encoding="utf-8")
    assert _rules_found(capsys, str(post))
    assert not CategoryCount.objects.exists()


def test_bad_input_is_a_message_and_status_2(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("check_post", str(empty))
    assert exit_.value.code == 2
    assert "error: There is nothing to check" in capsys.readouterr().err


def test_without_a_text_or_a_photo_it_says_what_to_give() -> None:
    with pytest.raises(CommandError, match="give a TEXTFILE"):
        call_command("check_post")
