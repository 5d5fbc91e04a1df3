"""labgrader: automatic, fair grading of network lab exercises.

The public API is re-exported here; everything else is private and may move.
"""

__version__ = "0.1.0"
