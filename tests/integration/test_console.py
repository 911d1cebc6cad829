"""tests/integration/test_console.py - the console devices seen from
outside the guest, through QEMU's monitor (Machine(monitor=True)):

  - PS/2 keyboard: keys typed with `sendkey` reach the shell, which runs the
    line; the tty echoes to every console and the output goes to the serial
    line, where the test reads it;
  - framebuffer: `screendump` (a PPM image) shows text, and a string the
    shell printed is found on screen drawn with the very font the kernel
    embeds (kernel/build.mk: KERNEL_FONT), parsed here from the PSF file.

No extra Python packages: PPM and PSF are parsed by hand. Every Machine is
bounded in time and killed afterwards.
"""
import gzip
import os
import re
import struct
import time

import pytest

from rayos_qemu import PROMPT, Machine

pytestmark = pytest.mark.rayos_only

FONT = "/usr/share/consolefonts/Lat15-Fixed16.psf.gz"

# sendkey names for the characters the tests type (US layout).
KEY_NAMES = {" ": "spc", "-": "minus", "_": "shift-minus", "\n": "ret",
             ".": "dot", "/": "slash", "=": "equal"}


def key_name(ch):
    if ch in KEY_NAMES:
        return KEY_NAMES[ch]
    if ch.isdigit() or ch.islower():
        return ch
    if ch.isupper():
        return "shift-" + ch.lower()
    raise ValueError(f"no key for {ch!r}")


@pytest.fixture(scope="module")
def machine():
    m = Machine(monitor=True)
    m.start()
    try:
        m.boot_to_prompt()
        yield m
    finally:
        print(m.log()[-3000:])
        m.close()


def type_keys(m, keys):
    """Press keys (sendkey names) one after another on the PS/2 keyboard."""
    for k in keys:
        reply = m.monitor(f"sendkey {k}")
        assert reply.strip() == "", f"sendkey {k}: {reply!r}"
        time.sleep(0.02)


def type_text(m, text):
    type_keys(m, [key_name(c) for c in text])


# ---- keyboard ----

def test_keyboard_line_runs(machine):
    type_text(machine, "echo kbd-ok\n")
    # The output line, not the echoed command line.
    machine.expect(r"\nkbd-ok\r*\n", timeout=30)
    machine.expect(PROMPT)


def test_keyboard_shift(machine):
    type_text(machine, "echo KBD_Ok\n")
    machine.expect(r"\nKBD_Ok\r*\n", timeout=30)
    machine.expect(PROMPT)


def test_keyboard_backspace(machine):
    type_keys(machine, [key_name(c) for c in "echo abx"] + ["backspace", "c", "ret"])
    machine.expect(r"\nabc\r*\n", timeout=30)
    machine.expect(PROMPT)


# ---- framebuffer ----

def read_ppm(path):
    """(width, height, rows): rows[y] is bytes of RGB triples."""
    with open(path, "rb") as f:
        data = f.read()
    # P6 header: magic, width, height, maxval, separated by white space
    # (comments are not produced by QEMU), then one white-space byte.
    mo = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert mo, data[:32]
    w, h, maxval = (int(g) for g in mo.groups())
    assert maxval == 255
    pixels = data[mo.end():]
    assert len(pixels) >= w * h * 3, "short PPM"
    return w, h, [pixels[y * w * 3:(y + 1) * w * 3] for y in range(h)]


def read_psf(path):
    """(width, height, glyph_of): glyph_of(ch) is a list of row strings of
    '#' (ink) and '.' for a character, through the font's Unicode table."""
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    table = {}
    if data[:2] == b"\x36\x04":  # PSF1
        mode, height = data[2], data[3]
        width, count, size, off = 8, 512 if mode & 1 else 256, height, 4
        has_table = mode & 6
        pos = off + count * size
        for g in range(count if has_table else 0):
            seq = False
            while True:
                (u,) = struct.unpack_from("<H", data, pos)
                pos += 2
                if u == 0xFFFF:
                    break
                if u == 0xFFFE:
                    seq = True
                elif not seq:
                    table.setdefault(chr(u), g)
    elif data[:4] == b"\x72\xb5\x4a\x86":  # PSF2
        _, off, flags, count, size, height, width = struct.unpack_from("<7I", data, 4)
        pos = off + count * size
        for g in range(count if flags & 1 else 0):
            end = data.index(b"\xff", pos)
            for s in data[pos:end].split(b"\xfe")[:1]:
                for ch in s.decode("utf-8", "replace"):
                    table.setdefault(ch, g)
            pos = end + 1
    else:
        raise ValueError("not a PSF font")
    stride = (width + 7) // 8

    def glyph_of(ch):
        g = table.get(ch, ord(ch))
        base = off + g * size
        rows = []
        for r in range(height):
            bits = int.from_bytes(data[base + r * stride:base + (r + 1) * stride], "big")
            rows.append("".join("#" if bits >> (stride * 8 - 1 - x) & 1 else "."
                                for x in range(width)))
        return rows

    return width, height, glyph_of


def ink_rows(w, rows):
    """Each screen row as a string: '#' where the pixel differs from the
    background (the most common colour of a sample), '.' elsewhere."""
    counts = {}
    for row in rows[::16]:
        for x in range(0, w * 3, 3 * 8):
            px = row[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
    bg = max(counts, key=counts.get)
    out = []
    for row in rows:
        out.append("".join("." if row[x:x + 3] == bg else "#"
                           for x in range(0, w * 3, 3)))
    return out


def find_text(screen, width, height, glyph_of, text):
    """Top-left (x, y) of text drawn in cells of width x height, or None."""
    glyphs = [glyph_of(c) for c in text]
    pattern = ["".join(g[r] for g in glyphs) for r in range(height)]
    # Search for the inkiest row, then check the whole cell height.
    anchor = max(range(height), key=lambda r: pattern[r].count("#"))
    for y in range(len(screen) - height + 1):
        line = screen[y + anchor]
        x = line.find(pattern[anchor])
        while x >= 0:
            if all(screen[y + r][x:x + len(pattern[r])] == pattern[r]
                   for r in range(height)):
                return x, y
            x = line.find(pattern[anchor], x + 1)
    return None


def screendump(m, tmp_path, name):
    path = os.path.join(str(tmp_path), name)
    reply = m.monitor(f"screendump {path}")
    assert reply.strip() == "", reply
    return read_ppm(path)


def test_framebuffer_shows_text(machine, tmp_path):
    machine.run("echo fb-check")
    w, h, rows = screendump(machine, tmp_path, "screen.ppm")
    assert w >= 640 and h >= 400, (w, h)
    screen = ink_rows(w, rows)
    inked = sum(r.count("#") for r in screen)
    assert inked > 0, "the screen is blank"
    # The boot log fills the top of the screen: plenty of ink in the first
    # 16 text lines, and text lines are not all the same.
    top = screen[:16 * 16]
    assert sum(r.count("#") for r in top) > 5000
    assert len(set(top)) > 16
    # Not one colour drawn everywhere either.
    assert inked < w * h // 2


@pytest.mark.skipif(not os.path.exists(FONT), reason=f"{FONT} not installed")
def test_framebuffer_text_in_kernel_font(machine, tmp_path):
    machine.run("echo Drawn-by-fbcon")
    width, height, glyph_of = read_psf(FONT)
    w, h, rows = screendump(machine, tmp_path, "text.ppm")
    screen = ink_rows(w, rows)
    assert find_text(screen, width, height, glyph_of, "root@rayos"), \
        "prompt not found on screen"
    where = find_text(screen, width, height, glyph_of, "Drawn-by-fbcon")
    assert where, "command output not found on screen"
    # Text sits in the character grid.
    assert where[0] % width == 0 and where[1] % height == 0, where
    # And something that was never printed is not found.
    assert find_text(screen, width, height, glyph_of, "QZXJQ") is None
