#!/usr/bin/env python3
"""Writes static/card.png, the built-in image of shared links (OpenGraph, Twitter cards):
1200x630, the default theme's accent colour with the favicon's mark ("i" for information)
in white. Standard library only, so the file is reproducible byte for byte:

    python3 scripts/card.py static/card.png

A site shows its own with `image:` in content/site.yaml.
"""
import struct
import sys
import zlib

W, H = 1200, 630
BG = (0x0B, 0x5C, 0xAD)
BAND = (0x0A, 0x52, 0x9B)
FG = (0xFF, 0xFF, 0xFF)


def colour(x, y):
    # The mark: a dot over a rounded bar, centred, like static/favicon.svg.
    cx, cy = W // 2, H // 2
    if (x - cx) ** 2 + (y - (cy - 150)) ** 2 <= 48 ** 2:
        return FG
    if abs(x - cx) <= 46 and cy - 70 <= y <= cy + 200:
        return FG
    return BAND if y >= H - 90 else BG


def main(path):
    rows = b"".join(
        b"\0" + b"".join(bytes(colour(x, y)) for x in range(W)) for y in range(H)
    )

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "static/card.png")
