"""The `thidua` console command.

`thidua VERB ...` runs the Django management command VERB (each lives in the app that owns
it: `load`/`dump`/`demo`/`serve` in interchange, `reorganize` in org), so the CLI is
as thin as a view: it parses arguments and calls the app's services.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "thidua"
    if len(argv) == 1:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
