#!/usr/bin/env python3
"""The ABI of libnewsgrep against the baseline committed at its release.

    check_abi.py BASELINE.abi LIBRARY [ABIDIFF]

Passes when the library's ABI is the baseline's or grew compatibly, as
include/newsgrep.h ("Compatibility") allows: new functions, new enum values
at the end, new fields at the end of a struct.  Fails on anything else (a
function removed or changed, a field moved, inserted in the middle or
retyped, a struct shrunk), and when the SONAME differs from the baseline's
(a new major version needs a new baseline: scripts/abi-baseline).

abidiff (libabigail) does the comparison; its --leaf-changes-only report is
read here because its suppressions cannot tell a field appended from one
inserted in the middle.
"""
import re
import subprocess
import sys

ABIDIFF_ERROR, ABIDIFF_USAGE_ERROR, ABIDIFF_ABI_CHANGE, ABIDIFF_INCOMPATIBLE = 1, 2, 4, 8


def soname_of_baseline(path):
    with open(path, encoding="utf-8") as f:
        m = re.search(r"soname='([^']*)'", f.read(4096))
    return m.group(1) if m else None


def soname_of_library(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True)
    m = re.search(r"\(SONAME\).*\[(.*)\]", out.stdout)
    return m.group(1) if m else None


def compatible_growth(report):
    """The lines of the report that are not compatible growth ([] if none)."""
    bad = []
    old_size = None
    in_type = None
    for line in report.splitlines():
        if not line.strip():
            continue
        m = re.match(r"Removed/Changed/Added functions summary: (\d+) Removed, (\d+) Changed", line)
        if m and (m.group(1) != "0" or m.group(2) != "0"):
            bad.append(line)
            continue
        m = re.match(r"Removed/Changed/Added variables summary: (\d+) Removed, (\d+) Changed", line)
        if m and (m.group(1) != "0" or m.group(2) != "0"):
            bad.append(line)
            continue
        if re.match(r"(Leaf changes|Changed leaf types|Removed/Changed/Added) ", line):
            continue
        m = re.match(r"'(struct|union) (\w+) at [^']*' changed:$", line)
        if m:
            in_type, old_size = m.group(2), None
            if not in_type.startswith("newsgrep_"):
                bad.append(line)
            continue
        if in_type is None:
            bad.append(line)
            continue
        m = re.match(r"\s+type size changed from (\d+) to (\d+) \(in bits\)$", line)
        if m:
            old_size = int(m.group(1))
            if int(m.group(2)) < old_size:
                bad.append(line)
            continue
        if re.match(r"\s+(\d+|one) data member insertions?:$", line):
            continue
        m = re.match(r"\s+'[^']*', at offset (\d+) \(in bits\)", line)
        if m and old_size is not None and int(m.group(1)) >= old_size:
            continue
        if re.match(r"\s+(\d+|one) impacted interfaces?:$", line) or re.match(r"\s+function ", line):
            continue
        bad.append(line)
    return bad


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    baseline, library = argv[1], argv[2]
    abidiff = argv[3] if len(argv) == 4 else "abidiff"

    want, have = soname_of_baseline(baseline), soname_of_library(library)
    if want != have:
        print(f"check_abi: the baseline is for {want} but the library is {have}: a new major "
              "version needs a new baseline (scripts/abi-baseline)")
        return 1

    run = subprocess.run([abidiff, "--exported-interfaces-only", "--no-added-syms",
                          "--leaf-changes-only", "--impacted-interfaces", baseline, library],
                         capture_output=True, text=True)
    if run.returncode & (ABIDIFF_ERROR | ABIDIFF_USAGE_ERROR) or run.returncode < 0:
        print(f"check_abi: abidiff failed (exit {run.returncode}):\n{run.stderr}{run.stdout}")
        return 1
    if run.returncode == 0:
        print(f"check_abi: {have}: the ABI is the baseline's (functions may have been added)")
        return 0
    bad = compatible_growth(run.stdout)
    if run.returncode & ABIDIFF_INCOMPATIBLE or bad:
        print(f"check_abi: {have}: the ABI changed incompatibly; abidiff says:\n{run.stdout}")
        if bad:
            print("check_abi: not compatible growth:\n  " + "\n  ".join(l.strip() for l in bad))
        print("check_abi: 1.x only grows (include/newsgrep.h, \"Compatibility\"): append, or "
              "add a new function instead of changing one")
        return 1
    print(f"check_abi: {have}: the ABI grew compatibly:\n{run.stdout}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
