"""The command line: `python -m deonto.postcheck.analyzers [--lang xx] [--image PHOTO] [TEXTFILE | -]`.

Prints the analysis as JSON on standard output. Bad input (an empty post, a file that is not a usable photo,
a missing file) gives a one-line message on standard error and exit status 2. It checks with the rules and
thresholds shipped with Deonto; `python manage.py check_post` takes the same arguments and checks with those
in force in Deonto (`add_arguments` and `run` serve both).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .analyze import analyze
from .classifier import Classifier
from .findings import InputRejected
from .photo import MAX_FILE_BYTES
from .rules import LANGUAGES, RuleSet
from .text import MAX_CHARACTERS

NOTHING_TO_CHECK = "give a TEXTFILE (or - for standard input), an --image, or both"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="the language of the post and of the messages (default: detected, else nl)",
    )
    parser.add_argument("--image", metavar="PHOTO", type=Path, help="a photo to check with the text")
    parser.add_argument(
        "textfile", nargs="?", metavar="TEXTFILE", help="the post's text (UTF-8), or - for stdin"
    )


def _read_text(name: str) -> str:
    # One character more than allowed is enough to refuse a text that is too long.
    if name == "-":
        return sys.stdin.read(MAX_CHARACTERS + 1)
    with Path(name).open(encoding="utf-8") as file:
        return file.read(MAX_CHARACTERS + 1)


def _read_photo(path: Path) -> bytes:
    # One byte more than allowed is enough to refuse a photo that is too large.
    with path.open("rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


def run(
    textfile: str | None,
    image: Path | None,
    lang: str | None,
    *,
    rules: RuleSet | None = None,
    classifier: Classifier | None = None,
) -> int:
    """Check the post, print its analysis as JSON, and give the exit status (2 for bad input)."""
    try:
        text = _read_text(textfile) if textfile is not None else None
        photo = _read_photo(image) if image is not None else None
        analysis = analyze(text=text, photo=photo, language=lang, rules=rules, classifier=classifier)
    except InputRejected as rejected:
        print(f"error: {rejected.message} ({rejected.code})", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print("error: the text file is not UTF-8 text", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        json.dump(analysis.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deonto.postcheck.analyzers",
        description="Check a draft post (text and/or photo) before posting, with the rules and thresholds "
        "shipped with Deonto; prints the findings as JSON.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.textfile is None and args.image is None:
        parser.error(NOTHING_TO_CHECK)
    return run(args.textfile, args.image, args.lang)


if __name__ == "__main__":
    sys.exit(main())
