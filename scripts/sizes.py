#!/usr/bin/env python3
"""Reports the longest functions and files of src/ (tests excluded), and fails when a
function is over the limit or a file is over its limit without a stated reason.

A function runs from its `fn` line to the closing brace at the same indentation (rustfmt's
layout); a file states its reason with a `//! Size:` line in its top doc comment."""
import pathlib
import re
import sys

FN_LIMIT = 80
FILE_LIMIT = 400
FN = re.compile(r"^(\s*)(pub(\([a-z]+\))? )?(const )?(async )?(unsafe )?fn ([a-z0-9_]+)")


def code_lines(text):
    """The lines of a file before its `#[cfg(test)]` module."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("#[cfg(test)]"):
            return lines[:i]
    return lines


def functions(path, lines):
    for i, line in enumerate(lines):
        m = FN.match(line)
        if not m or line.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        for j in range(i + 1, len(lines)):
            if lines[j] == indent + "}":
                yield (j - i + 1, f"{path}:{i + 1}", m.group(7))
                break


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    fns, files, failed = [], [], False
    for path in sorted(root.rglob("*.rs")):
        text = path.read_text()
        lines = code_lines(text)
        fns.extend(functions(path, lines))
        reason = re.search(r"^//! Size:", text, re.M)
        files.append((len(lines), str(path), bool(reason)))
    fns.sort(reverse=True)
    files.sort(reverse=True)
    print(f"longest functions (limit {FN_LIMIT} lines):")
    for n, at, name in fns[:5]:
        print(f"  {n:4} {at} {name}")
    print(f"longest files, tests excluded (limit {FILE_LIMIT} lines without a `//! Size:` reason):")
    for n, path, reason in files[:5]:
        print(f"  {n:4} {path}{' (reason stated)' if reason else ''}")
    for n, at, name in fns:
        if n > FN_LIMIT:
            print(f"error: fn {name} at {at} is {n} lines (limit {FN_LIMIT})")
            failed = True
    for n, path, reason in files:
        if n > FILE_LIMIT and not reason:
            print(f"error: {path} is {n} lines (limit {FILE_LIMIT}); split it or state why with `//! Size:`")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
