#!/usr/bin/env python
"""Django's command-line utility; configuration errors end in one clear line, not a traceback."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ridbook.settings")
    from django.db import OperationalError

    from ridbook.env import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        sys.stderr.write(f"ridbook: configuration error: {exc}\n")
        sys.exit(2)
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.stderr.write(f"ridbook: the database is unreachable (check DATABASE_URL): {first_line}\n")
        sys.exit(3)


if __name__ == "__main__":
    main()
