"""Shared code for the trainable classifiers: featurising, fitting, calibration, skops I/O.

Heavy dependencies (datasets, torch) are imported lazily inside the functions that need them.
"""
from ..speedups import compiled_path

__path__ = compiled_path(__path__, __name__)  # the compiled rule core, when built from these sources
