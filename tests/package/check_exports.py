#!/usr/bin/env python3
"""Fails unless a shared library exports exactly the C API its header declares.

    check_exports.py LIBRARY HEADER [--soname NAME]

Every function the header declares with ONYX_API must be a defined dynamic symbol of LIBRARY, and LIBRARY must
define no other dynamic symbol (no engine internals, no template instances of libstdc++ or protobuf). With
--soname, the library's DT_SONAME must be NAME.
"""

import argparse
import re
import subprocess
import sys


def declared_functions(header):
    text = open(header, encoding="utf-8").read()
    # "ONYX_API <return type> Name(": the name is the last identifier before the parenthesis.
    return set(re.findall(r"^ONYX_API\b[^(;]*?\b(Onyx\w+)\s*\(", text, re.MULTILINE))


def exported_symbols(library):
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True, capture_output=True, text=True).stdout
    symbols = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            symbols[parts[-1].split("@")[0]] = parts[-2]
    return symbols


def soname(library):
    out = subprocess.run(["readelf", "-d", library], check=True, capture_output=True, text=True).stdout
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    return match.group(1) if match else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("library")
    parser.add_argument("header")
    parser.add_argument("--soname")
    args = parser.parse_args()

    declared = declared_functions(args.header)
    if len(declared) < 10:
        sys.exit(f"check_exports: only {len(declared)} ONYX_API functions in {args.header}; is the pattern stale?")
    exported = exported_symbols(args.library)
    failed = False
    extra = sorted(name for name in exported if name not in declared)
    if extra:
        failed = True
        demangled = subprocess.run(["c++filt"], input="\n".join(extra), capture_output=True, text=True).stdout
        demangled = demangled.split("\n")
        print(f"{args.library} exports {len(extra)} symbols that are not the C API:")
        for name, pretty in zip(extra[:40], demangled):
            print(f"  {exported[name]} {pretty}")
        if len(extra) > 40:
            print(f"  ... and {len(extra) - 40} more")
    missing = sorted(declared - exported.keys())
    if missing:
        failed = True
        print(f"{args.library} lacks {len(missing)} functions that {args.header} declares: {', '.join(missing)}")
    not_code = sorted(name for name in declared & exported.keys() if exported[name] != "T")
    if not_code:
        failed = True
        print(f"not exported as functions (nm type T): {', '.join(not_code)}")
    if args.soname:
        found = soname(args.library)
        if found != args.soname:
            failed = True
            print(f"{args.library}: SONAME is {found}, expected {args.soname}")
    if failed:
        sys.exit(1)
    print(f"{args.library}: exports the {len(declared)} functions of the C API and nothing else")


if __name__ == "__main__":
    main()
