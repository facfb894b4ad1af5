"""The ``workbook`` command: progress, hints, reset, watch, doctor, and classroom grading.

Each sub-command lives in its own module under ``workbook/commands/``.
"""

import click

from workbook.commands import classroom, doctor, hint, reset, status, watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Your companion for the Flask workbook: run it from the workbook's top folder."""


for command in (
    status.status,
    hint.hint,
    reset.reset,
    watch.watch,
    doctor.doctor,
    classroom.grade_classroom,
):
    main.add_command(command)
