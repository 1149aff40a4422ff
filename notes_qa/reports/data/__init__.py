"""Data files of the reports (thresholds, stylesheet), loaded via notes_qa.resources."""
