#!/usr/bin/env python
"""Django's command-line entry point for the Scrutiny demo site."""

import os
import sys


def main() -> None:
    """Run a management command, reporting configuration mistakes in one line each."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"{error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
