"""Frame writers: animated GIF, MP4 (H.264), animated WebP, APNG and PNG sequences.  No Qt here.

Every writer takes RGB frames as ``uint8`` arrays of shape ``(height, width, 3)`` and writes to a
temporary path beside the target; :meth:`FrameWriter.close` moves the result into place and
:meth:`FrameWriter.abort` removes it, so a failed or cancelled recording never leaves a partial
file behind.

* **GIF** (:class:`GifWriter`, Pillow's LZW coder): one global 255-colour palette chosen from the
  first frames (their most frequent colours exactly, the rest by median cut) plus colours the
  caller reserves; exact nearest-colour mapping through a lazily filled 24-bit lookup table, no
  dithering (flat UI colours stay flat and unchanged pixels stay identical); each frame stores
  only the bounding box of what changed, with unchanged pixels transparent.  Frames are never
  merged, so a decoder sees exactly one GIF frame per video frame; delays are whole centiseconds
  that add up to ``k / fps`` exactly.
* **MP4** (:class:`Mp4Writer`, ``imageio-ffmpeg``): H.264, ``yuv420p``, BT.709, ``+faststart`` —
  plays in browsers and slide software; odd sizes are padded by one pixel to even.
* **WebP** (:class:`WebpWriter`, Pillow's libwebp animation encoder, fed frame by frame):
  lossless by default (flat UI colours and text stay exact) and much smaller than GIF; libwebp
  merges a frame identical to the one before into it (a longer duration), so a decoder may see
  fewer frames than were written, each shown for exactly its time.
* **APNG** (:class:`ApngWriter`, chunks written here, each frame's pixels compressed by Pillow's
  PNG encoder): lossless RGBA, one APNG frame per video frame (delays of exactly ``1/fps`` s),
  each storing only the rectangle that changed.  ``.apng`` or ``.png`` (a *file*; a folder
  name without a suffix is a PNG sequence).
* **PNG sequence** (:class:`PngSequenceWriter`): ``frame_00000.png`` … in a folder.

WebP and APNG take ``transparent_color=(r, g, b)``: pixels of exactly that colour (the panel's
background) become fully transparent, for a single panel laid over a slide or a web page.
"""
from __future__ import annotations

import io
import os
import queue
import shutil
import struct
import tempfile
import zlib
import threading
from pathlib import Path

import numpy as np

from explorer.core.errors import InputError

FORMATS = ("gif", "mp4", "png", "webp", "apng")
#: formats that can make the panel background transparent (``transparent_color``)
ALPHA_FORMATS = ("webp", "apng")
#: file suffix of each format ("" = a folder of PNG frames)
SUFFIXES = {"gif": ".gif", "mp4": ".mp4", "png": "", "webp": ".webp", "apng": ".apng"}
GIF_MAX_FPS = 50          # GIF delays are centiseconds; browsers slow down delays below 2 cs
TRANSPARENT = 255         # GIF palette index reserved for "unchanged pixel"
PALETTE_COLORS = 255


class OutputError(InputError):
    """The output path cannot be used (message names the path and the reason); an
    :class:`explorer.core.errors.InputError`, so the app shows it in the interface language."""


def format_for_path(path) -> str:
    """``"gif"``, ``"mp4"``, ``"webp"``, ``"apng"`` (``.apng`` or a ``.png`` file) or ``"png"``
    (a folder for a PNG sequence) from the output path."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".gif", ".mp4", ".webp"):
        return suffix[1:]
    if suffix == "" or p.is_dir():
        return "png"
    if suffix in (".apng", ".png"):
        return "apng"
    raise OutputError("{path}: unsupported output type {suffix} (use .gif, .mp4, .webp, .apng "
                      "or a folder name for PNG frames)", path=path, suffix=repr(suffix))


def check_output(path, fps: int | None = None) -> str:
    """Check that *path* can be written before any work starts; return its format."""
    p = Path(path)
    fmt = format_for_path(p)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError("{path}: folder {parent} does not exist", path=path, parent=parent)
    if not os.access(parent, os.W_OK):
        raise OutputError("{path}: folder {parent} is not writable", path=path, parent=parent)
    if fmt == "png":
        if p.exists() and not p.is_dir():
            raise OutputError("{path}: exists and is not a folder", path=path)
        if p.is_dir() and any(p.iterdir()):
            raise OutputError("{path}: folder is not empty (choose a new or empty folder)",
                              path=path)
    elif p.is_dir():
        raise OutputError("{path}: is a folder", path=path)
    if fmt == "gif" and fps is not None and fps > GIF_MAX_FPS:
        raise OutputError("{path}: GIF supports at most {max} fps (got {fps}); use MP4 for "
                          "higher frame rates", path=path, max=GIF_MAX_FPS, fps=fps)
    return fmt


def gif_delays_cs(n_frames: int, fps: int) -> list[int]:
    """Per-frame GIF delays in centiseconds whose running sum is ``round(100 k / fps)``."""
    edges = [int(np.floor(100.0 * k / fps + 0.5)) for k in range(n_frames + 1)]
    return [edges[k + 1] - edges[k] for k in range(n_frames)]


def _as_frame(frame, size) -> np.ndarray:
    arr = np.asarray(frame)
    w, h = size
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] != 3:
        raise ValueError(f"frame: expected a uint8 array of shape (height, width, 3), got "
                         f"{arr.dtype} {arr.shape}")
    if arr.shape[:2] != (h, w):
        raise ValueError(f"frame: expected {w}x{h}, got {arr.shape[1]}x{arr.shape[0]}")
    return np.ascontiguousarray(arr)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish(tmp: Path, path: Path, directory: bool = False) -> None:
    """Give the finished temp file (private, from mkstemp) normal permissions and move it in."""
    try:
        os.chmod(tmp, (0o777 if directory else 0o666) & ~_umask())
    except OSError:
        pass
    os.replace(tmp, path)


class FrameWriter:
    """Base class: ``write(frame)`` for every frame, then ``close()`` (or ``abort()``)."""

    format = ""

    def __init__(self, path, size: tuple[int, int], fps: int):
        self.path = Path(path)
        self.size = (int(size[0]), int(size[1]))
        self.fps = int(fps)
        if self.fps < 1:
            raise ValueError(f"fps: must be at least 1, got {fps}")
        self.frames_written = 0
        self._closed = False

    def _temp_path(self) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=f".part{self.path.suffix}",
                                   dir=self.path.parent if str(self.path.parent) else ".")
        os.close(fd)
        return Path(tmp)

    def write(self, frame) -> None:
        raise NotImplementedError

    def close(self) -> Path:
        """Finish the file and move it into place; on any failure nothing is left behind."""
        if self._closed:
            return self.path
        try:
            self._finish()
            self._publish()
        except BaseException:
            self.abort()
            raise
        self._closed = True
        return self.path

    def abort(self) -> None:
        """Drop everything written so far (the temp file or folder)."""
        self._closed = True
        try:
            self._release()
        finally:
            self._discard()

    # -- what subclasses provide ---------------------------------------------------------
    def _finish(self) -> None:
        """Flush and close the output stream (raise ValueError if nothing was written)."""
        raise NotImplementedError

    def _publish(self) -> None:
        _publish(self._tmp, self.path)

    def _release(self) -> None:
        """Close the stream without finishing it (best effort)."""

    def _discard(self) -> None:
        try:
            os.unlink(self._tmp)
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False


# ---------------------------------------------------------------------------- GIF
def _pack(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 -> (...) uint32 0xRRGGBB."""
    r = rgb[..., 0].astype(np.uint32)
    g = rgb[..., 1].astype(np.uint32)
    b = rgb[..., 2].astype(np.uint32)
    return (r << 16) | (g << 8) | b


def _unpack(packed: np.ndarray) -> np.ndarray:
    packed = packed.astype(np.uint32)
    return np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=-1).astype(np.uint8)


def build_palette(frames, reserved=(), colors: int = PALETTE_COLORS) -> np.ndarray:
    """A palette (k <= *colors*, 3) uint8 for *frames*: the *reserved* colours, then the most
    frequent colours exactly, then median-cut colours for the rest of the pixels."""
    from PIL import Image

    packed = np.concatenate([_pack(f).reshape(-1) for f in frames])
    uniq, counts = np.unique(packed, return_counts=True)
    chosen: list[int] = []
    for c in reserved:
        v = (int(c[0]) << 16) | (int(c[1]) << 8) | int(c[2])
        if v not in chosen:
            chosen.append(v)
    if len(chosen) >= colors:
        return _unpack(np.array(chosen[:colors], dtype=np.uint32))
    seen = np.zeros(1 << 24, dtype=bool)          # colour -> already in the palette
    seen[np.array(chosen, dtype=np.int64)] = True
    fresh = uniq[~seen[uniq]]
    budget = colors - len(chosen)
    if fresh.size <= budget:
        return _unpack(np.concatenate([np.array(chosen, dtype=np.uint32), fresh]))
    # the most frequent colours exactly (flat fills, text), ties broken by colour value
    order = np.lexsort((uniq, -counts))
    top = [int(v) for v in uniq[order] if not seen[v]][: budget // 2]
    chosen += top
    seen[np.array(top, dtype=np.int64)] = True
    rest = packed[~seen[packed]]
    rest_budget = colors - len(chosen)
    if rest.size and rest_budget > 0:
        img = Image.fromarray(_unpack(rest).reshape(1, -1, 3), "RGB")
        q = img.quantize(colors=rest_budget, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        pal = np.array(q.getpalette()[: 3 * rest_budget], dtype=np.uint8).reshape(-1, 3)
        used = np.unique(np.asarray(q))
        for v in _pack(pal[used[used < len(pal)]]):
            v = int(v)
            if not seen[v]:
                seen[v] = True
                chosen.append(v)
    return _unpack(np.array(chosen[:colors], dtype=np.uint32))


def local_palette(region: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Palette (<= 255 colours) and indices for one frame's changed *region* (H, W, 3): exact
    when it has at most 255 colours, else Pillow's fast octree (all in C, no dithering)."""
    from PIL import Image

    pixels = region[mask] if mask is not None else region.reshape(-1, 3)
    packed = _pack(pixels)
    uniq = np.unique(packed)
    if uniq.size <= PALETTE_COLORS:
        idx_all = np.searchsorted(uniq, _pack(region))
        idx_all[idx_all >= uniq.size] = 0                 # unchanged pixels: replaced later
        return _unpack(uniq), idx_all.astype(np.uint8)
    q = Image.fromarray(np.ascontiguousarray(region), "RGB").quantize(
        colors=PALETTE_COLORS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    pal = np.array(q.getpalette()[: 3 * PALETTE_COLORS], dtype=np.uint8).reshape(-1, 3)
    return pal, np.asarray(q, dtype=np.uint8)


class ColorMapper:
    """Exact nearest-palette-colour mapping through a 24-bit lookup table filled on demand,
    with a second table holding each colour's mapping error (max channel difference)."""

    WEIGHTS = np.array([2.0, 4.0, 3.0])

    def __init__(self, palette: np.ndarray):
        self.palette = np.asarray(palette, dtype=np.uint8)
        if not 1 <= len(self.palette) <= 255:
            raise ValueError("palette: needs 1 to 255 colours")
        self._lut = np.full(1 << 24, TRANSPARENT, dtype=np.uint8)   # TRANSPARENT = not known yet
        self._err = np.zeros(1 << 24, dtype=np.uint8)
        self._pal_f = self.palette.astype(np.float64)

    def _nearest(self, colors: np.ndarray) -> np.ndarray:
        out = np.empty(len(colors), dtype=np.uint8)
        rgb = _unpack(colors).astype(np.float64)
        for s in range(0, len(rgb), 4096):
            chunk = rgb[s:s + 4096]
            d = (((chunk[:, None, :] - self._pal_f[None, :, :]) ** 2) * self.WEIGHTS).sum(axis=2)
            out[s:s + 4096] = np.argmin(d, axis=1)
        return out

    def map(self, frame: np.ndarray) -> np.ndarray:
        return self.map_packed(_pack(frame))[0]

    def map_packed(self, packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Palette indices and per-pixel mapping errors (0 = exact) of packed colours."""
        idx = self._lut[packed]
        unknown = idx == TRANSPARENT
        if unknown.any():
            missing = np.unique(packed[unknown])
            near = self._nearest(missing)
            self._lut[missing] = near
            diff = np.abs(self.palette[near].astype(np.int16) - _unpack(missing).astype(np.int16))
            self._err[missing] = np.minimum(diff.max(axis=1), 255).astype(np.uint8)
            idx[unknown] = self._lut[packed[unknown]]
        return idx, self._err[packed]


class GifWriter(FrameWriter):
    """Streaming animated-GIF writer (see the module docstring for how it stays small)."""

    format = "gif"

    def __init__(self, path, size, fps, *, reserved_colors=(), palette_frames: int = 4,
                 loop: int = 0, tolerance: int = 10):
        super().__init__(path, size, fps)
        if self.fps > GIF_MAX_FPS:
            raise ValueError(f"fps: GIF supports at most {GIF_MAX_FPS} fps, got {fps}")
        self.reserved = [tuple(int(v) for v in c) for c in reserved_colors]
        self.palette_frames = max(1, int(palette_frames))
        self.loop = int(loop)
        self.tolerance = int(tolerance)
        self.local_tables = 0        # frames that needed their own colour table
        self._pending: list[np.ndarray] = []
        self._mapper: ColorMapper | None = None
        self._prev: np.ndarray | None = None
        self._tmp = self._temp_path()
        self._fh = open(self._tmp, "wb")
        self._cs_written = 0

    def write(self, frame) -> None:
        frame = _as_frame(frame, self.size)
        if self._mapper is None:
            self._pending.append(frame.copy())
            if len(self._pending) >= self.palette_frames:
                self._start()
            return
        self._encode(frame)

    def _start(self) -> None:
        palette = build_palette(self._pending, self.reserved)
        self._mapper = ColorMapper(palette)
        self._write_header(palette)
        pending, self._pending = self._pending, []
        for f in pending:
            self._encode(f)

    def _write_header(self, palette: np.ndarray) -> None:
        w, h = self.size
        table = np.zeros((256, 3), dtype=np.uint8)
        table[: len(palette)] = palette
        fh = self._fh
        fh.write(b"GIF89a" + struct.pack("<HHBBB", w, h, 0xF7, 0, 0))
        fh.write(table.tobytes())
        # NETSCAPE2.0 application extension: loop count (0 = forever)
        fh.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", self.loop) + b"\x00")

    def _next_delay_ms(self) -> int:
        k = self.frames_written
        edge = int(np.floor(100.0 * (k + 1) / self.fps + 0.5))
        cs = edge - self._cs_written
        self._cs_written = edge
        return 10 * cs

    def _encode(self, frame: np.ndarray) -> None:
        from PIL import GifImagePlugin, Image

        delay = self._next_delay_ms()
        params = {"duration": delay, "disposal": 1}
        h, w = frame.shape[:2]
        if self._prev is None:
            y0, y1, x0, x1 = 0, h, 0, w
            mask = None
            self._prev_packed = _pack(frame)
            sub = self._prev_packed
        else:
            # compare raw bytes first (8 at a time); pack and map colours only inside the box
            a, b = frame.reshape(h, 3 * w), self._prev.reshape(h, 3 * w)
            unit = 8 if (3 * w) % 8 == 0 else 1
            if unit == 8:
                a, b = a.view(np.uint64), b.view(np.uint64)
            rowdiff = a != b
            rows = np.flatnonzero(rowdiff.any(axis=1))
            params["transparency"] = TRANSPARENT
            if rows.size == 0:
                # identical frame: a 1x1 transparent patch keeps one GIF frame per video frame
                y0, y1, x0, x1 = 0, 1, 0, 1
            else:
                cols = np.flatnonzero(rowdiff[rows[0]:rows[-1] + 1].any(axis=0))
                y0, y1 = int(rows[0]), int(rows[-1]) + 1
                x0, x1 = (unit * int(cols[0])) // 3, (unit * int(cols[-1]) + unit - 1) // 3 + 1
            sub = _pack(frame[y0:y1, x0:x1])
            old = self._prev_packed[y0:y1, x0:x1]
            mask = sub != old
            old[...] = sub                       # keep the packed copy of the last frame
        self._prev = frame
        region = frame[y0:y1, x0:x1]
        idx, err = self._mapper.map_packed(sub)
        # Colours the global palette cannot show closely (a caption fading in, a new colour)
        # get a local colour table for this frame instead of banding (never on the first
        # frame: some decoders, e.g. Pillow's palette-keeping mode, would then read later
        # frames with the first frame's table instead of the global one).
        local = None
        if mask is not None:
            worst = err[mask]
            if worst.size and int(worst.max()) > self.tolerance:
                local, idx = local_palette(region, mask)
            idx = idx.copy() if idx.base is not None else idx
            idx[~mask] = TRANSPARENT
        idx = np.ascontiguousarray(idx, dtype=np.uint8)
        im = Image.frombytes("P", (idx.shape[1], idx.shape[0]), idx.tobytes())
        if local is not None:
            table = np.zeros((256, 3), dtype=np.uint8)
            table[: len(local)] = local
            im.putpalette(table.tobytes())
            params["include_color_table"] = True
            self.local_tables += 1
        for chunk in GifImagePlugin.getdata(im, (x0, y0), **params):
            self._fh.write(chunk)
        self.frames_written += 1

    def _finish(self) -> None:
        if self._mapper is None:
            if not self._pending:
                raise ValueError("no frames were written")
            self._start()
        self._fh.write(b";")
        self._fh.close()

    def _release(self) -> None:
        self._fh.close()


# ---------------------------------------------------------------------------- MP4
class Mp4Writer(FrameWriter):
    """H.264 / yuv420p MP4 through imageio-ffmpeg (ffmpeg encodes in its own process)."""

    format = "mp4"

    def __init__(self, path, size, fps, *, crf: int = 18, preset: str = "veryfast"):
        super().__init__(path, size, fps)
        import imageio_ffmpeg

        w, h = self.size
        self.out_size = (w + (w & 1), h + (h & 1))
        self._tmp = self._temp_path()
        self._gen = imageio_ffmpeg.write_frames(
            str(self._tmp), self.out_size, pix_fmt_in="rgb24", pix_fmt_out="yuv420p", fps=self.fps,
            codec="libx264", quality=None, macro_block_size=1, ffmpeg_log_level="error",
            output_params=["-preset", preset, "-crf", str(int(crf)), "-threads", "2",
                           "-vf", "scale=out_color_matrix=bt709:out_range=tv",
                           "-colorspace", "bt709", "-color_primaries", "bt709",
                           "-color_trc", "bt709", "-movflags", "+faststart", "-f", "mp4"])
        self._gen.send(None)

    def write(self, frame) -> None:
        frame = _as_frame(frame, self.size)
        w, h = self.size
        if self.out_size != (w, h):
            frame = np.pad(frame, ((0, self.out_size[1] - h), (0, self.out_size[0] - w), (0, 0)),
                           mode="edge")
        self._gen.send(frame)
        self.frames_written += 1

    def _finish(self) -> None:
        if self.frames_written == 0:
            raise ValueError("no frames were written")
        self._gen.close()

    def _release(self) -> None:
        try:
            self._gen.close()
        except Exception:
            pass


# ---------------------------------------------------------------------------- alpha helpers
def keyed_rgba(frame: np.ndarray, key) -> np.ndarray:
    """RGBA copy of an RGB *frame*: opaque, except pixels of exactly colour *key* (r, g, b),
    which become fully transparent (None: all opaque)."""
    h, w = frame.shape[:2]
    out = np.empty((h, w, 4), dtype=np.uint8)
    out[..., :3] = frame
    out[..., 3] = 255
    if key is not None:
        k = np.array([int(v) for v in key[:3]], dtype=np.uint8)
        out[..., 3][np.all(frame == k, axis=2)] = 0
    return out


def changed_box(a: np.ndarray, b: np.ndarray):
    """``(y0, y1, x0, x1)`` of the pixels where frames *a* and *b* differ, or None."""
    diff = np.any(a != b, axis=2)
    rows = np.flatnonzero(diff.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(diff[rows[0]:rows[-1] + 1].any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


# ---------------------------------------------------------------------------- WebP
class WebpWriter(FrameWriter):
    """Animated WebP through Pillow's libwebp animation encoder, one frame at a time (only the
    compressed frames are kept until :meth:`close`).  Lossless by default; ``lossless=False``
    with ``quality`` (0–100) is lossy."""

    format = "webp"

    def __init__(self, path, size, fps, *, lossless: bool = True, quality: int = 90,
                 method: int = 4, loop: int = 0, transparent_color=None):
        super().__init__(path, size, fps)
        from PIL import Image, features

        if not features.check("webp"):
            raise OutputError("{path}: this Pillow was built without WebP support",
                              path=str(path))
        from PIL import _webp

        self.lossless, self.quality, self.method = bool(lossless), int(quality), int(method)
        self.transparent = transparent_color
        self._image = Image
        kmin, kmax = (9, 17) if self.lossless else (3, 5)
        w, h = self.size
        try:                                         # Pillow >= 11
            self._enc = _webp.WebPAnimEncoder((w, h), 0, int(loop), False, kmin, kmax, False,
                                              False)
            self._new_api = True
        except TypeError:                            # Pillow 10
            self._enc = _webp.WebPAnimEncoder(w, h, 0, int(loop), False, kmin, kmax, False,
                                              False)
            self._new_api = False
        self._tmp = self._temp_path()

    def _timestamp(self, k: int) -> int:
        return int(np.floor(1000.0 * k / self.fps + 0.5))

    def write(self, frame) -> None:
        frame = _as_frame(frame, self.size)
        if self.transparent is not None:
            im = self._image.fromarray(keyed_rgba(frame, self.transparent), "RGBA")
        else:
            im = self._image.fromarray(frame, "RGB")
        core = im.getim() if self._new_api else im.im.id
        self._enc.add(core, self._timestamp(self.frames_written), self.lossless,
                      float(self.quality), 100.0, self.method)
        self.frames_written += 1

    def _finish(self) -> None:
        if self.frames_written == 0:
            raise ValueError("no frames were written")
        self._enc.add(None, self._timestamp(self.frames_written), self.lossless,
                      float(self.quality), 100.0, self.method)
        data = self._enc.assemble(b"", b"", b"")
        with open(self._tmp, "wb") as fh:
            fh.write(data)
        self._enc = None


# ---------------------------------------------------------------------------- APNG
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
APNG_DISPOSE_NONE, APNG_BLEND_SOURCE, APNG_BLEND_OVER = 0, 0, 1


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _idat_payload(image, compress_level: int) -> bytes:
    """The concatenated IDAT data of *image* encoded as a PNG by Pillow."""
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=compress_level)
    raw = buf.getvalue()
    pos, parts = len(_PNG_SIGNATURE), []
    while pos < len(raw):
        length, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        if kind == b"IDAT":
            parts.append(raw[pos + 8:pos + 8 + length])
        pos += 12 + length
    return b"".join(parts)


class ApngWriter(FrameWriter):
    """Animated PNG, written chunk by chunk (the frame count in ``acTL`` is filled in at
    :meth:`close`).  Every frame after the first stores only the rectangle that changed, with
    unchanged pixels transparent and blended over the previous frame (or, with a transparent
    background, the rectangle replaced); an identical frame is a 1×1 patch, so there is one
    APNG frame per video frame, each ``1/fps`` s long."""

    format = "apng"

    def __init__(self, path, size, fps, *, compress_level: int = 6, loop: int = 0,
                 transparent_color=None):
        super().__init__(path, size, fps)
        if self.fps > 65535:
            raise ValueError(f"fps: APNG supports at most 65535 fps, got {fps}")
        self.compress_level = int(compress_level)
        self.transparent = transparent_color
        self._prev: np.ndarray | None = None
        self._seq = 0
        self._tmp = self._temp_path()
        self._fh = open(self._tmp, "wb")
        w, h = self.size
        self._fh.write(_PNG_SIGNATURE)
        self._fh.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)))
        self._actl_at = self._fh.tell()
        self.loop = int(loop)
        self._fh.write(_chunk(b"acTL", struct.pack(">II", 0, self.loop)))

    def write(self, frame) -> None:
        from PIL import Image

        frame = _as_frame(frame, self.size)
        rgba = keyed_rgba(frame, self.transparent)
        w, h = self.size
        first = self._prev is None
        if first:
            box, blend = (0, h, 0, w), APNG_BLEND_SOURCE
            region = rgba
        else:
            box = changed_box(frame, self._prev) or (0, 1, 0, 1)
            y0, y1, x0, x1 = box
            region = rgba[y0:y1, x0:x1].copy()
            if self.transparent is None:
                # unchanged pixels transparent, drawn over the previous frame
                same = np.all(frame[y0:y1, x0:x1] == self._prev[y0:y1, x0:x1], axis=2)
                region[same] = 0
                blend = APNG_BLEND_OVER
            else:
                blend = APNG_BLEND_SOURCE        # a pixel may turn transparent: replace
        self._prev = frame
        y0, y1, x0, x1 = box
        fctl = struct.pack(">IIIIIHHBB", self._seq, x1 - x0, y1 - y0, x0, y0, 1, self.fps,
                           APNG_DISPOSE_NONE, blend)
        self._seq += 1
        self._fh.write(_chunk(b"fcTL", fctl))
        data = _idat_payload(Image.fromarray(np.ascontiguousarray(region), "RGBA"),
                             self.compress_level)
        if first:
            self._fh.write(_chunk(b"IDAT", data))
        else:
            self._fh.write(_chunk(b"fdAT", struct.pack(">I", self._seq) + data))
            self._seq += 1
        self.frames_written += 1

    def _finish(self) -> None:
        if self.frames_written == 0:
            raise ValueError("no frames were written")
        self._fh.write(_chunk(b"IEND", b""))
        self._fh.seek(self._actl_at)
        self._fh.write(_chunk(b"acTL", struct.pack(">II", self.frames_written, self.loop)))
        self._fh.close()

    def _release(self) -> None:
        self._fh.close()


# ---------------------------------------------------------------------------- PNG sequence
class PngSequenceWriter(FrameWriter):
    """``frame_00000.png``, ``frame_00001.png`` … in the folder *path*."""

    format = "png"

    def __init__(self, path, size, fps, *, compress_level: int = 3):
        super().__init__(path, size, fps)
        self.compress_level = compress_level
        parent = self.path.parent if str(self.path.parent) else Path(".")
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".part", dir=parent))

    def write(self, frame) -> None:
        from PIL import Image

        frame = _as_frame(frame, self.size)
        Image.fromarray(frame, "RGB").save(self._tmp / f"frame_{self.frames_written:05d}.png",
                                           compress_level=self.compress_level)
        self.frames_written += 1

    def _finish(self) -> None:
        if self.frames_written == 0:
            raise ValueError("no frames were written")

    def _publish(self) -> None:
        if self.path.is_dir():
            self.path.rmdir()          # only an empty folder (checked up front)
        _publish(self._tmp, self.path, directory=True)

    def _discard(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)


def open_writer(path, size, fps, fmt: str | None = None, **options) -> FrameWriter:
    """A writer for *path* in format *fmt* (default: chosen by :func:`format_for_path`).
    ``reserved_colors`` only matters for GIF, ``transparent_color`` only for WebP and APNG."""
    fmt = fmt or format_for_path(path)
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    reserved = options.pop("reserved_colors", None)
    transparent = options.pop("transparent_color", None)
    if fmt == "gif":
        return GifWriter(path, size, fps, reserved_colors=reserved or (), **options)
    if fmt == "mp4":
        return Mp4Writer(path, size, fps, **options)
    if fmt == "webp":
        return WebpWriter(path, size, fps, transparent_color=transparent, **options)
    if fmt == "apng":
        return ApngWriter(path, size, fps, transparent_color=transparent, **options)
    return PngSequenceWriter(path, size, fps, **options)


class ThreadedWriter:
    """Runs a :class:`FrameWriter` in a worker thread so the caller (the GUI thread or the
    renderer) never waits on compression.  Frames are queued in order (bounded queue); an error
    in the worker is raised by the next ``write`` or by ``close``."""

    _STOP = object()

    def __init__(self, writer: FrameWriter, max_queue: int = 16):
        self.writer = writer
        self._q: queue.Queue = queue.Queue(maxsize=max_queue)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="explorer-encoder", daemon=True)
        self._thread.start()
        self.frames_queued = 0

    @property
    def path(self) -> Path:
        return self.writer.path

    @property
    def frames_written(self) -> int:
        return self.writer.frames_written

    def _run(self) -> None:
        while True:
            item = self._q.get()
            if item is self._STOP:
                return
            if self._error is None:
                try:
                    self.writer.write(item)
                except BaseException as exc:   # reported to the caller
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            err, self._error = self._error, None
            self.abort()
            raise err

    def write(self, frame) -> None:
        self._raise()
        self._q.put(frame)
        self.frames_queued += 1

    def try_write(self, frame) -> bool:
        """Queue *frame* without waiting; False if the queue is full (the caller may retry)."""
        self._raise()
        try:
            self._q.put_nowait(frame)
        except queue.Full:
            return False
        self.frames_queued += 1
        return True

    def close(self) -> Path:
        self._q.put(self._STOP)
        self._thread.join()
        if self._error is not None:
            err = self._error
            self.writer.abort()
            raise err
        return self.writer.close()

    def abort(self) -> None:
        if self._thread.is_alive():
            # drop what is queued, then stop the worker
            try:
                while True:
                    self._q.get_nowait()
            except queue.Empty:
                pass
            self._q.put(self._STOP)
            self._thread.join()
        self.writer.abort()
