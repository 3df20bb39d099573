"""The curated data: the curation tables, build, import (one module per source format),
validation, coverage and counts."""
