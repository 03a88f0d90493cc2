#!/usr/bin/env python3
"""Functions longer than a limit in crosshim's own sources.

The project's rule: no function over 120 lines unless the comment above it
says why, with the words "Long on purpose" (a table of message shapes, one
pass over a file's headers). Reads the clang-formatted sources: a function
defined at namespace scope starts at column 0 and its body ends with a `}`
at column 0; a lambda counts toward the function around it, and member
functions defined inside a class body are not looked at.

  tests/lint/function-lengths.py [--limit N] [--all] [DIR...]

Prints FILE:LINE NAME LINES [long on purpose] for each function over the
limit and exits 1 when one of them has no reason (0 otherwise). --all also
lists those with a reason without failing on them. DIRs default to the
layers: support diagnostics shims setup cli.
"""
import argparse
import pathlib
import re
import sys

LAYERS = ["support", "diagnostics", "shims", "setup", "cli"]
NOT_A_FUNCTION = re.compile(
    r"^(//|#|namespace\b|using\b|class\b|struct\b|enum\b|union\b|typedef\b|extern\b|static_assert\b|\}|$)")
REASON = "Long on purpose"


def functions(path):
    """(first line, name, body lines, has reason) for each function defined
    at namespace scope in `path`."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line[:1].isspace() or NOT_A_FUNCTION.match(line):
            i += 1
            continue
        # The declaration runs until a line ending in `{` (a definition) or `;`.
        start, header = i, []
        while i < len(lines):
            header.append(lines[i].strip())
            if lines[i].rstrip().endswith(("{", ";")):
                break
            i += 1
        text = " ".join(header)
        i += 1
        if not text.endswith("{") or "(" not in text or "=" in text.split("(")[0]:
            continue  # a declaration, a table, a variable
        open_line = i - 1
        while i < len(lines) and lines[i] != "}" and lines[i] != "};":
            i += 1
        body = i - open_line + 1
        name = re.findall(r"([~\w:]+(?:<[^()]*>)?|operator\S+)\s*\(", text.split("(")[0] + "(")
        comment = []
        j = start - 1
        while j >= 0 and lines[j].startswith("//"):
            comment.append(lines[j])
            j -= 1
        yield start + 1, (name[0] if name else "?"), body, any(REASON in c for c in comment)
        i += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=120)
    parser.add_argument("--all", action="store_true")
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    dirs = [pathlib.Path(d) for d in args.dirs] or [root / d for d in LAYERS]
    failed = False
    for d in dirs:
        for path in sorted(list(d.rglob("*.cpp")) + list(d.rglob("*.h"))):
            for line, name, length, reason in functions(path):
                if length <= args.limit or (reason and not args.all):
                    continue
                shown = path.relative_to(root) if path.is_relative_to(root) else path
                print(f"{shown}:{line} {name} {length}" + (" [long on purpose]" if reason else ""))
                failed = failed or not reason
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
