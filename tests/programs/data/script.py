#!/usr/bin/env python3
"""A #! script found through env, for the real-program tests."""
import sys

print("python script", sys.argv[1:])
sys.exit(len(sys.argv))
