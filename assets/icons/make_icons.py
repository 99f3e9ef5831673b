#!/usr/bin/env python3
"""Draw the Kluis icons (a push-button key safe on the accent colour).

Standard library only (zlib + struct PNG writer, signed-distance anti-aliasing), so the
icons can be regenerated anywhere: `python3 assets/icons/make_icons.py`. The PNGs are
committed; the web build copies them into dist/web/icons/.
"""
import math
import os
import struct
import zlib

ACCENT = (0x0B, 0x5C, 0x6E)  # --accent in assets/app.css (light theme)
WHITE = (0xFF, 0xFF, 0xFF)
HERE = os.path.dirname(os.path.abspath(__file__))

# Geometry in a 512 x 512 design space. The safe sits inside the maskable safe zone
# (a circle with 40 % of the icon's size as radius).
BODY = (136, 104, 376, 408, 40)  # x0, y0, x1, y1, corner radius
BUTTONS = [(x, y, 27) for y in (172, 240, 308) for x in (212, 300)]
HANDLE = (206, 354, 306, 376, 11)


def sd_round_rect(px, py, rect):
    x0, y0, x1, y1, r = rect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - r, (y1 - y0) / 2 - r
    qx, qy = abs(px - cx) - hx, abs(py - cy) - hy
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - r


def sd_circle(px, py, c):
    x, y, r = c
    return math.hypot(px - x, py - y) - r


def render(size, background):
    """background: 'rounded' (transparent corners) or 'full' (full bleed, for maskable/apple)."""
    scale = 512 / size
    rows = []
    for j in range(size):
        row = bytearray([0])  # PNG filter type 0 for this scanline
        for i in range(size):
            px, py = (i + 0.5) * scale, (j + 0.5) * scale

            def cover(d):
                return min(1.0, max(0.0, 0.5 - d / scale))

            if background == "full":
                a = 1.0
            else:
                a = cover(sd_round_rect(px, py, (0, 0, 512, 512, 104)))
            rgb = list(ACCENT)
            layers = [(WHITE, cover(sd_round_rect(px, py, BODY)))]
            layers += [(ACCENT, cover(sd_circle(px, py, b))) for b in BUTTONS]
            layers.append((ACCENT, cover(sd_round_rect(px, py, HANDLE))))
            for colour, c in layers:
                if c > 0:
                    rgb = [rgb[k] * (1 - c) + colour[k] * c for k in range(3)]
            row += bytes([round(v) for v in rgb] + [round(a * 255)])
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(w, h, raw):
    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def svg():
    hex_accent = "#%02x%02x%02x" % ACCENT
    x0, y0, x1, y1, r = BODY
    hx0, hy0, hx1, hy1, hr = HANDLE
    buttons = "".join(f'<circle cx="{x}" cy="{y}" r="{r}"/>' for x, y, r in BUTTONS)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f'<rect width="512" height="512" rx="104" fill="{hex_accent}"/>'
        f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="#fff"/>'
        f'<g fill="{hex_accent}">{buttons}'
        f'<rect x="{hx0}" y="{hy0}" width="{hx1 - hx0}" height="{hy1 - hy0}" rx="{hr}"/></g>'
        "</svg>\n"
    )


def main():
    outputs = {
        "icon-192.png": render(192, "rounded"),
        "icon-512.png": render(512, "rounded"),
        "icon-maskable-512.png": render(512, "full"),
        "apple-touch-icon-180.png": render(180, "full"),
        "favicon-32.png": render(32, "rounded"),
    }
    for name, data in outputs.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    with open(os.path.join(HERE, "icon.svg"), "w") as f:
        f.write(svg())
    print("wrote", ", ".join(list(outputs) + ["icon.svg"]))


if __name__ == "__main__":
    main()
