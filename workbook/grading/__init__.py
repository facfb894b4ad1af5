"""Grading: the learner's files loaded into the complete reference app, and driven over HTTP."""
