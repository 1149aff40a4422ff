"""``python -m notes_qa.reports report|dashboard ...`` (same as ``notes-qa report|dashboard``)."""
import sys

from .cli import main

sys.exit(main())
