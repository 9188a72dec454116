"""Pixels of PNG files, for tests/lua/chart_files.lua (Debian's python3-pil).

  images.py size PNG               width and height
  images.py diff PNG PNG           mean grey difference (0-255) and the share of
                                   pixels differing by more than a quarter
  images.py colour PNG RRGGBB      pixels within a small distance of the colour
  images.py boxiness PNG X0 Y0 X1 Y1
                                   of the ink inside the box, the share of its
                                   bounding box's edges inked: near 1 for
                                   missing-glyph boxes, well below for glyphs
"""
import sys

from PIL import Image, ImageChops


def grey(path):
    return Image.open(path).convert("L")


def main(cmd, *args):
    if cmd == "size":
        print(*Image.open(args[0]).size)
    elif cmd == "diff":
        a, b = grey(args[0]), grey(args[1])
        if a.size != b.size:
            print("sizes", *a.size, *b.size)
            return
        hist = ImageChops.difference(a, b).histogram()
        n = a.size[0] * a.size[1]
        print("%.4f %.5f" % (sum(i * c for i, c in enumerate(hist)) / n, sum(hist[65:]) / n))
    elif cmd == "colour":
        want = tuple(int(args[1][i:i + 2], 16) for i in (0, 2, 4))
        img = Image.open(args[0]).convert("RGB")
        print(sum(1 for p in img.getdata() if sum(abs(p[i] - want[i]) for i in range(3)) < 60))
    elif cmd == "boxiness":
        x0, y0, x1, y1 = map(int, args[1:5])
        img = grey(args[0]).crop((x0, y0, x1, y1))
        w, h = img.size
        px = img.load()
        ink = [(x, y) for y in range(h) for x in range(w) if px[x, y] < 128]
        if not ink:
            print("0 no ink")
            return
        left, right = min(x for x, _ in ink), max(x for x, _ in ink)
        top, bottom = min(y for _, y in ink), max(y for _, y in ink)

        def inked(x, y):  # the edge or the pixel inside it
            return any(px[min(max(x + dx, left), right), min(max(y + dy, top), bottom)] < 128
                       for dx in (-1, 0, 1) for dy in (-1, 0, 1))

        edge = [(x, top) for x in range(left, right + 1)] + [(x, bottom) for x in range(left, right + 1)] + \
               [(left, y) for y in range(top, bottom + 1)] + [(right, y) for y in range(top, bottom + 1)]
        print("%.3f" % (sum(1 for x, y in edge if inked(x, y)) / len(edge)))


main(*sys.argv[1:])
