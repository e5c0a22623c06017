"""python -m yzlogi …"""

import sys

from yzlogi.cli import main

sys.exit(main())
