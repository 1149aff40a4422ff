"""The child's-voice component, its rules, featuriser and results."""
from ..speedups import compiled_path

__path__ = compiled_path(__path__, __name__)  # the compiled rule core, when built from these sources
