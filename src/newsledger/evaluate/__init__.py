"""Evaluation against reference data sets (ACLED, seeds, ...)."""
