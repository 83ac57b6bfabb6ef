import sys

from leniency.cli import main

sys.exit(main())
