"""Grading for the exercises: see workbook/grading/plugin.py."""

pytest_plugins = ["workbook.grading.plugin"]
