#!/usr/bin/env python3
"""The device catalogue as its public headers declare it, for
test/catalogue/combinators.sh.

Every combinator is a lower-case function-like macro of
include/mirage/config/*.h (names ending in '_' are helpers). Its doc
comment carries one or more examples, one expression each:

   * Example: crunch("t")
   * Example (unix): direct_kv_rw("t")           only these targets
   * Example --kv_ro=fat: generic_kv_ro("t")     configure arguments
   * Example --net=socket (unix): generic_stackv4v6(default_network())
   * Job example: noop()                          the expression is a job

an expression going on over the following lines indented by four more
spaces. Usage: examples.py HEADER... prints one line per combinator,
"combinator NAME", then one per example, tab-separated:
"example KIND NAME ARGS TARGETS EXPR" (KIND: job or device; ARGS and
TARGETS space-separated, "-" when none)."""
import re
import sys

DEFINE = re.compile(r"^#define ([a-z][a-z0-9_]*)\(")
EXAMPLE = re.compile(
    r"^ \* (Job example|Example)((?: --[^ (:]+)*)(?: \(([a-z0-9 ,]+)\))?:(.*)$")
MORE = re.compile(r"^ \*     (.*)$")


def main(headers):
    names, examples = [], []
    for header in headers:
        lines = open(header).read().split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            m = DEFINE.match(line)
            if m and not m.group(1).endswith("_"):
                names.append(m.group(1))
            m = EXAMPLE.match(line)
            if m:
                expr = m.group(4).strip()
                while i + 1 < len(lines) and MORE.match(lines[i + 1]):
                    i += 1
                    expr += " " + MORE.match(lines[i]).group(1).strip()
                expr = expr.removesuffix("*/").strip()
                kind = "job" if m.group(1) == "Job example" else "device"
                args = m.group(2).strip() or "-"
                targets = " ".join(
                    t.strip() for t in (m.group(3) or "").split(",")
                    if t.strip()) or "-"
                name = re.match(r"[a-z][a-z0-9_]*", expr)
                examples.append((kind, name.group(0) if name else "?", args,
                                 targets, expr))
            i += 1
    for n in names:
        print("combinator", n)
    for e in examples:
        print("\t".join(("example",) + e))


main(sys.argv[1:])
