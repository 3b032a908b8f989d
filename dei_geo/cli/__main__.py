"""``python -m dei_geo.cli``."""

import sys

from dei_geo.cli import main

sys.exit(main())
