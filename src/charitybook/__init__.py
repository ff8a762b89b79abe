"""charitybook: bookkeeping for county-level charity associations."""

__version__ = "0.1.0"
