"""Ogg streams with a chosen serial number, so one clip always encodes to the same bytes.

libsndfile draws each Ogg stream's serial number at random, so the results page, and with it
evaluate's DVC output, would differ between two identical runs. Every page carries the serial and a
CRC over the page; both are rewritten here (Ogg's CRC-32: polynomial 0x04C11DB7, initial value 0,
no reflection, no final XOR, computed with the CRC field zeroed).
"""

from __future__ import annotations

import struct

HEADER = 27  # "OggS", version, flags, granule position, serial, sequence, CRC, segment count


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        value = byte << 24
        for _ in range(8):
            value = ((value << 1) ^ 0x04C11DB7) if value & 0x80000000 else value << 1
        table.append(value & 0xFFFFFFFF)
    return table


_TABLE = _crc_table()


def ogg_crc(data: bytes | bytearray) -> int:
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _TABLE[(crc >> 24) ^ byte]
    return crc


def with_serial(ogg: bytes, serial: int) -> bytes:
    """`ogg` with every page's stream serial set to `serial` and its CRC recomputed."""
    out = bytearray(ogg)
    position = 0
    while position < len(out):
        if out[position : position + 4] != b"OggS":
            raise ValueError(f"not an Ogg page at byte {position}")
        segments = out[position + 26]
        size = HEADER + segments + sum(out[position + HEADER : position + HEADER + segments])
        out[position + 14 : position + 18] = struct.pack("<I", serial & 0xFFFFFFFF)
        out[position + 22 : position + 26] = bytes(4)
        out[position + 22 : position + 26] = struct.pack("<I", ogg_crc(out[position : position + size]))
        position += size
    return bytes(out)
