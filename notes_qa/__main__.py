from notes_qa.cli import main
import sys

sys.exit(main())
