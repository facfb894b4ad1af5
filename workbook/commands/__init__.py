"""The sub-commands of ``workbook``, one module each."""
