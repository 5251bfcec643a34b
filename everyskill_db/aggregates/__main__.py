"""``python -m everyskill_db.aggregates``: see everyskill_db.aggregates.cli."""

import sys

from everyskill_db.aggregates.cli import main

sys.exit(main())
