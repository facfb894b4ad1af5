"""Grading for the exercises: see workbook/grading/plugin.py and reporting.py."""

pytest_plugins = ["workbook.grading.plugin", "workbook.grading.reporting"]
