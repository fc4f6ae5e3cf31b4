"""Import quiz questions from a GIFT (.gift, .txt) or Moodle XML (.xml) file into a course module."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deonto.core.errors import DomainError
from deonto.training.formats import parse_file
from deonto.training.models import ContentLanguage, ItemKind, Module
from deonto.training.services_content import QuestionsImportError, questions_import


class Command(BaseCommand):
    help = (
        "Add the questions of a GIFT or Moodle XML file at the end of a module, as quiz items with their "
        "texts in one language. Nothing is imported when any question has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .gift, .txt (GIFT) or .xml (Moodle XML) file.")
        parser.add_argument("--course", required=True, help="The course's code.")
        parser.add_argument("--module", required=True, help="The module's code in that course.")
        parser.add_argument(
            "--language", required=True, choices=ContentLanguage.values, help="The language of the texts."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but import nothing.")

    def fail(self, lines: list[str]) -> CommandError:
        """Every problem on its own line, then the error that ends the command with exit code 1."""
        for line in lines:
            self.stderr.write(line)
        return CommandError("Nothing was imported.", returncode=1)

    def handle(self, *args: Any, **options: Any) -> None:
        module = (
            Module.objects.select_related("course")
            .filter(course__code=options["course"], code=options["module"])
            .first()
        )
        if module is None:
            raise CommandError(f"The course {options['course']} has no module {options['module']}.")
        result = parse_file(options["file"])
        if result.errors:
            raise self.fail([_line(error.line, error.message) for error in result.errors])
        try:
            report = questions_import(
                actor=None,
                module=module,
                language=options["language"],
                questions=result.questions,
                dry_run=options["dry_run"],
            )
        except QuestionsImportError as error:
            raise self.fail([_line(problem.line, problem.message) for problem in error.problems]) from error
        except DomainError as error:
            raise self.fail([error.message]) from error
        verb = "Would import" if report.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {len(report.questions)} questions into module {module.code} of course {module.course.code} "
            f"({report.language})."
        )
        labels = dict(ItemKind.choices)
        for kind, count in report.by_kind.items():
            self.stdout.write(f"  {kind}: {count} ({labels[kind]})")
        if options["verbosity"] > 1:
            for question in report.questions:
                self.stdout.write(f"  line {question.line}: {question.code} ({question.kind})")


def _line(line: int, message: str) -> str:
    return f"line {line}: {message}" if line else message
