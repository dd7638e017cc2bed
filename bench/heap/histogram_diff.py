#!/usr/bin/env python3
"""Per-connection heap cost by class: the difference of two `jcmd <pid> GC.class_histogram` outputs, divided by N.
    histogram_diff.py BEFORE AFTER N [TOP]
Prints the TOP classes (default 30) by bytes added per connection, with instances per connection, then the total,
then the same bytes in groups by whose classes they are (GROUPS, finer than the rows of the README's "Where an idle
connection's bytes go"). A group is decided by the class's name only (an array of any depth goes with its element's
class), so a JDK map that Matchbook's registry holds counts as the JDK's collections, not as Matchbook's.
GC.class_histogram runs a full GC first, so both sides count live objects only."""
import re
import sys

GROUPS = [
    ("parked virtual threads' stacks (StackChunk)", re.compile(r"^jdk\.internal\.vm\.StackChunk$")),
    ("byte arrays (read buffers, strings' bytes, names)", re.compile(r"^\[B$")),
    ("Matchbook's objects", re.compile(r"^com\.matchbook\.")),
    ("Helidon's connection and HTTP/1 objects", re.compile(r"^io\.helidon\.")),
    ("the JDK's socket (channel, descriptor, addresses, cleaner)",
     re.compile(r"^(sun\.nio\.ch\.|java\.net\.|java\.io\.FileDescriptor|jdk\.internal\.ref\.|java\.nio\.)")),
    ("the virtual thread, its continuation and thread locals",
     re.compile(r"^java\.lang\.(VirtualThread|Thread|ThreadLocal|InheritableThreadLocal)|"
                r"^jdk\.internal\.vm\.Continuation|"
                r"^java\.util\.concurrent\.(ForkJoin|ThreadPerTaskExecutor)")),
    ("the heap's filler (unused space the histogram counts)", re.compile(r"Filler")),
    ("the JDK's collections, locks, strings and the rest", re.compile(r"")),
]

ROW = re.compile(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)")


def read(path):
    table = {}
    with open(path) as f:
        for line in f:
            m = ROW.match(line)
            if m:
                table[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return table


def element_class(name):
    """The class an array of any depth holds (`[[Lio.helidon.http.Header;` -> `io.helidon.http.Header`); a primitive
    array of any depth is named as the one-level array (`[[B` -> `[B`); any other name is itself."""
    if not name.startswith("["):
        return name
    element = name.lstrip("[")
    return element[1:-1] if element.startswith("L") and element.endswith(";") else "[" + element


def main():
    before, after, n = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    rows = []
    for name in set(before) | set(after):
        i0, b0 = before.get(name, (0, 0))
        i1, b1 = after.get(name, (0, 0))
        rows.append(((b1 - b0) / n, (i1 - i0) / n, name))
    rows.sort(reverse=True)
    print(f"{'bytes/conn':>10} {'objs/conn':>9}  class")
    for b, i, name in rows[:top]:
        print(f"{b:10.1f} {i:9.2f}  {name}")
    print(f"{sum(r[0] for r in rows):10.1f} {sum(r[1] for r in rows):9.2f}  total (all classes)")
    groups = dict.fromkeys([g for g, _ in GROUPS], 0.0)
    for b, _, name in rows:
        groups[next(g for g, pattern in GROUPS if pattern.search(element_class(name)))] += b
    print("by whose classes:")
    for g, b in groups.items():
        print(f"{b:10.1f}  {g}")


if __name__ == "__main__":
    main()
