"""``python -m bot.cli``: the ``minqing`` command line."""

import sys

from bot.cli import main

sys.exit(main())
