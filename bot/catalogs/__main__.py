import sys

from bot.catalogs import main

raise SystemExit(main(sys.argv[1:]))
