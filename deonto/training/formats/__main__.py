"""``python -m deonto.training.formats FILE``: the questions of a GIFT or Moodle XML file as JSON.

Plain Python, without Django: on a file with problems, prints them with their line numbers to
standard error and exits with 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from deonto.training.formats import parse_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deonto.training.formats",
        description="Print the questions of a GIFT (.gift, .txt) or Moodle XML (.xml) file as JSON.",
    )
    parser.add_argument("file")
    arguments = parser.parse_args(argv)
    result = parse_file(arguments.file)
    if result.errors:
        for error in result.errors:
            print(f"line {error.line}: {error.message}" if error.line else error.message, file=sys.stderr)
        return 1
    questions = [dataclasses.asdict(question) for question in result.questions]
    print(json.dumps(questions, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
