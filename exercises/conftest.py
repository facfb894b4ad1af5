"""Grading for the exercises: the plugins of workbook/grading/ (its README tells the pipeline)."""

# In this order: each plugin is registered before another one imports it.
pytest_plugins = [
    "workbook.grading.options",
    "workbook.grading.seeds",
    "workbook.grading.zones",
    "workbook.grading.fixtures",
    "workbook.grading.databases",
    "workbook.grading.plugin",
    "workbook.grading.reporting",
]
