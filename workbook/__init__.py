"""The workbook's own machinery: chapter manifests, skeleton generation, grading."""
