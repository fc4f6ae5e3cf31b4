"""The command line: `python -m deonto.postcheck.analyzers [--lang xx] [--image PHOTO] [TEXTFILE | -]`.

Prints the analysis as JSON on standard output. Bad input (an empty post, a file that is not a usable photo,
a missing file) gives a one-line message on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .analyze import analyze
from .findings import InputRejected
from .photo import MAX_FILE_BYTES
from .rules import LANGUAGES
from .text import MAX_CHARACTERS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m deonto.postcheck.analyzers",
        description="Check a draft post (text and/or photo) before posting; prints the findings as JSON.",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="the language of the post and of the messages (default: detected, else nl)",
    )
    parser.add_argument("--image", metavar="PHOTO", type=Path, help="a photo to check with the text")
    parser.add_argument(
        "textfile", nargs="?", metavar="TEXTFILE", help="the post's text (UTF-8), or - for stdin"
    )
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.textfile is None and args.image is None:
        parser.error("give a TEXTFILE (or - for standard input), an --image, or both")
    try:
        text = _read_text(args.textfile) if args.textfile is not None else None
        photo = _read_photo(args.image) if args.image is not None else None
        analysis = analyze(text=text, photo=photo, language=args.lang)
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


if __name__ == "__main__":
    sys.exit(main())
