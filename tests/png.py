"""Reading PNG files without an imaging library, and the colour-vision checks of the pages:
decode (8-bit RGB/RGBA, non-interlaced: what Chromium writes), simulate deuteranopia and
protanopia (Machado, Oliveira and Fernandes 2009, severity 1, on linear RGB) and measure the
WCAG contrast ratio. Used by the browser tests and by benchmarks/viz_screenshots.py."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

__all__ = ["SIMULATIONS", "Image", "check_png", "contrast", "decode_png", "simulate"]

SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Colour matrices on linear RGB.
SIMULATIONS: dict[str, tuple[tuple[float, float, float], ...]] = {
    "normal": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
}


@dataclass(frozen=True)
class Image:
    """Decoded pixels: ``rows[y][x]`` is an (r, g, b) tuple of 0-255 values."""

    width: int
    height: int
    rows: list[list[tuple[int, int, int]]]


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG file (bad signature)")
    chunks, at = [], len(SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"PNG chunk {kind!r} has a bad CRC")
        chunks.append((kind, body))
        at += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise ValueError("PNG file without IHDR first or IEND last")
    return chunks


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _raw(data: bytes) -> tuple[int, int, int, bytes]:
    chunks = _chunks(data)
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour})")
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    if len(raw) != height * (width * channels + 1):
        raise ValueError("PNG image data does not match its width and height")
    return width, height, channels, raw


def check_png(data: bytes) -> tuple[int, int]:
    """Width and height of a valid PNG (signature, chunk CRCs, IHDR first, IEND last, image
    data of the declared size).

    Raises:
        ValueError: it is not.
    """
    width, height, _, _ = _raw(data)
    return width, height


def decode_png(data: bytes) -> Image:
    """The pixels of a valid 8-bit RGB(A) non-interlaced PNG (slow: for small images).

    Raises:
        ValueError: not such a PNG.
    """
    width, height, channels, raw = _raw(data)
    stride = width * channels
    rows: list[list[tuple[int, int, int]]] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            add = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind] if kind <= 4 else -1
            if add < 0:
                raise ValueError(f"PNG filter type {kind} is not defined")
            line[i] = (line[i] + add) & 255
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, channels)])  # type: ignore[misc]
        previous = line
    return Image(width, height, rows)


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def simulate(rgb: tuple[int, int, int], kind: str) -> tuple[float, float, float]:
    """The linear RGB a viewer with ``kind`` (a :data:`SIMULATIONS` key) sees for ``rgb``."""
    lin = [_linear(c) for c in rgb]
    m = SIMULATIONS[kind]
    r, g, b = (max(0.0, min(1.0, sum(m[i][k] * lin[k] for k in range(3)))) for i in range(3))
    return (r, g, b)


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two linear RGB colours (1 to 21)."""

    def luminance(c: tuple[float, float, float]) -> float:
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)
