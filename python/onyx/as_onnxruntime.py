"""Runs a Python program with `onnxruntime` resolving to Onyx, without editing the program:

    python -m onyx.as_onnxruntime program.py [ARGS...]
    python -m onyx.as_onnxruntime -m package.module [ARGS...]

It calls onyx.install_as_onnxruntime() and then runs the program as `python program.py ARGS` (or
`python -m package.module ARGS`) would: as __main__, with sys.argv[0] the program.
"""

import os
import runpy
import sys

from onyx import install_as_onnxruntime

USAGE = "usage: python -m onyx.as_onnxruntime (program.py | -m module) [ARGS...]"


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    install_as_onnxruntime()
    if argv[0] == "-m":
        if len(argv) < 2:
            print(USAGE, file=sys.stderr)
            return 2
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(argv)
        sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))  # as `python program.py` sets it
        runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
