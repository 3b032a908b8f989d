"""Where the bundled sources live (``data/`` and ``geodata/`` beside the package)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("DEI_GEO_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
GEODATA = ROOT / "geodata"
DEI_2023 = DATA / "dei_2023"
