"""Shared code for the trainable classifiers: featurising, fitting, calibration, skops I/O.

Heavy dependencies (datasets, torch) are imported lazily inside the functions that need them.
"""
