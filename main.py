#!/usr/bin/env python3
"""Launch Cross-Entropy Explorer (``python main.py --help`` for the command-line tools)."""
import sys

from explorer.cli import main

if __name__ == "__main__":
    sys.exit(main())
