"""Issue 20: animated WebP and APNG, decoded back with Pillow (frame count, per-frame times,
pixels, size on disk against GIF, transparency), never with the project's own code."""
import json

import numpy as np
import pytest
from PIL import Image, ImageSequence

from explorer.record import encode

W, H = 160, 120
BG, BLUE, RED = (250, 250, 250), (0, 114, 178), (213, 94, 0)
FPS = 10


def _frames(n=20):
    """A light UI-like frame with a box and a label-like stripe; a red bar slides right for the
    first 2/3, then a hold (identical frames)."""
    out = []
    for k in range(n):
        f = np.full((H, W, 3), BG, np.uint8)
        f[10:40, 10:70] = BLUE
        f[100:104, 20:140:3] = (40, 40, 40)
        x = 5 + 6 * min(k, 2 * n // 3)
        f[60:80, x:x + 12] = RED
        out.append(f)
    return out


def _write(path, frames, **options):
    w = encode.open_writer(path, (W, H), FPS, **options)
    for f in frames:
        w.write(f)
    return w.close()


def _decode(path):
    """[(RGBA array, duration ms, timestamp-or-None)] of every frame Pillow reads."""
    im = Image.open(path)
    out = []
    for frame in ImageSequence.Iterator(im):
        frame.load()
        out.append((np.asarray(frame.convert("RGBA")).copy(), frame.info.get("duration"),
                    frame.info.get("timestamp")))
    return im.format, out


def test_apng_has_one_frame_per_video_frame_exact_pixels_and_times(tmp_path):
    frames = _frames(20)
    path = _write(tmp_path / "a.apng", frames)
    fmt, decoded = _decode(path)
    assert fmt == "PNG" and len(decoded) == 20
    for k, (rgba, duration, _ts) in enumerate(decoded):
        np.testing.assert_array_equal(rgba[..., :3], frames[k])
        assert (rgba[..., 3] == 255).all()
        assert duration == pytest.approx(1000 / FPS)
    assert sum(d for _f, d, _t in decoded) == pytest.approx(20 * 1000 / FPS)
    # a ".png" file (not a folder) is APNG too
    assert encode.format_for_path(tmp_path / "b.png") == "apng"
    assert encode.format_for_path(tmp_path / "frames") == "png"


def test_webp_is_lossless_and_keeps_real_time(tmp_path):
    frames = _frames(20)
    path = _write(tmp_path / "a.webp", frames)
    fmt, decoded = _decode(path)
    assert fmt == "WEBP"
    # libwebp merges the hold's identical frames into one longer frame; the times add up
    assert 14 <= len(decoded) <= 20
    total = sum(d for _f, d, _t in decoded)
    assert total == pytest.approx(20 * 1000 / FPS, abs=1)
    # every video frame k is on screen at t = k / fps, pixel for pixel
    starts = np.cumsum([0] + [d for _f, d, _t in decoded[:-1]])
    for k, f in enumerate(frames):
        i = int(np.searchsorted(starts, 1000 * k / FPS + 0.5, side="right") - 1)
        np.testing.assert_array_equal(decoded[i][0][..., :3], f)


def test_on_flat_ui_frames_webp_and_apng_are_smaller_than_gif(tmp_path):
    """Flat colours, few changes (the bench measures the real demos: there GIF's 255-colour
    palette makes it as small as lossless WebP)."""
    frames = _frames(30)
    sizes = {ext: _write(tmp_path / f"a.{ext}", frames).stat().st_size
             for ext in ("gif", "webp", "apng")}
    assert sizes["webp"] < sizes["gif"] / 2, sizes
    assert sizes["apng"] < sizes["gif"], sizes


@pytest.mark.parametrize("ext", ["webp", "apng"])
def test_transparent_background_keys_out_exactly_the_panel_colour(tmp_path, ext):
    frames = _frames(6)
    path = _write(tmp_path / f"t.{ext}", frames, transparent_color=BG)
    _fmt, decoded = _decode(path)
    # APNG: every frame; WebP (may merge frames): the first
    for k, (rgba, _d, _t) in enumerate(decoded if ext == "apng" else decoded[:1]):
        bg = np.all(frames[k] == BG, axis=2)
        assert (rgba[..., 3][bg] == 0).all() and (rgba[..., 3][~bg] == 255).all()
        np.testing.assert_array_equal(rgba[..., :3][~bg], frames[k][~bg])
    # a pixel that turns back into background becomes transparent again (not left behind)
    last = decoded[-1][0]
    assert last[65, 8, 3] == 0 and frames[-1][65, 8].tolist() == list(BG)


def test_a_failed_apng_or_webp_leaves_nothing(tmp_path):
    for ext in ("webp", "apng"):
        w = encode.open_writer(tmp_path / f"x.{ext}", (W, H), FPS)
        w.write(_frames(1)[0])
        with pytest.raises(ValueError, match="expected 160x120"):
            w.write(np.zeros((10, 10, 3), np.uint8))
        w.abort()
    assert list(tmp_path.iterdir()) == []


def test_record_cli_writes_webp_and_apng(tmp_path):
    """``main.py record -o x.webp`` and ``--format apng`` through a real subprocess."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"version": 1, "fps": 10, "target": "sigmoid", "actions": [
        {"action": "layout", "docks": ["sigmoid"]},
        {"action": "z_marker", "to": -4.0, "duration": 0.5}]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))

    def run(*args):
        return subprocess.run([sys.executable, str(root / "main.py"), "record", str(scenario),
                               *map(str, args)], capture_output=True, text=True, env=env,
                              cwd=root, timeout=120)

    web = tmp_path / "z.webp"
    proc = run("-o", web, "--size", "480x360", "--transparent")
    assert proc.returncode == 0, proc.stderr
    ap = tmp_path / "z.anim"
    proc = run("-o", ap.with_suffix(".png"), "--size", "480x360", "--format", "apng")
    assert proc.returncode == 0, proc.stderr
    fmt, frames = _decode(ap.with_suffix(".png"))
    assert fmt == "PNG" and len(frames) == 5
    assert sum(d for _f, d, _t in frames) == pytest.approx(500)
    fmt, wframes = _decode(web)
    assert fmt == "WEBP" and sum(d for _f, d, _t in wframes) == pytest.approx(500, abs=1)
    alpha = wframes[0][0][..., 3]
    assert (alpha == 0).mean() > 0.3 and (alpha == 255).mean() > 0.05   # a keyed-out panel
    assert wframes[0][0].shape[:2] == frames[0][0].shape[:2]
    # --transparent for the whole window is refused, nothing written
    scenario.write_text(json.dumps({"version": 1, "fps": 10, "actions": [
        {"action": "hold", "duration": 0.2}]}), encoding="utf-8")
    proc = run("-o", tmp_path / "w.webp", "--transparent")
    assert proc.returncode == 2 and "transparent background needs one panel" in proc.stderr
    assert not (tmp_path / "w.webp").exists()
