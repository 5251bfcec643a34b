"""What the package's commands share: argument errors as one line, exit 2.

    from everyskill_db.cli import ArgumentParser

    parser = ArgumentParser(prog="python -m everyskill_db.aggregates")
    parser.parse_args(["--bogus"])
    # stderr: error: unrecognized arguments: --bogus (see --help); exit status 2

argparse prints its whole usage block before an error; a user who mistyped one option
gets one line naming the mistake instead, as for every other user mistake.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

__all__ = ["ArgumentParser"]


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")
