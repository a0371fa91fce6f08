"""GIF / MP4 / PNG-sequence writers, decoded back with imageio (and ffmpeg for GIF)."""
import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import pytest

from explorer.record import encode

W, H = 96, 64
BLUE, ORANGE = (0, 114, 178), (230, 159, 0)


def _frames(n=12):
    """A white frame with a blue bar sliding right, then n // 3 identical frames (a hold)."""
    out = []
    for k in range(n):
        f = np.full((H, W, 3), 255, np.uint8)
        x = 4 + 5 * min(k, 2 * n // 3)
        f[20:50, x:x + 14] = BLUE
        f[2:8, 2:30] = ORANGE
        out.append(f)
    return out


def _ffmpeg_frames(path, w, h):
    gen = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24")
    try:
        next(gen)
        return [np.frombuffer(b, np.uint8).reshape(h, w, 3).copy() for b in gen]
    finally:
        gen.close()


def test_gif_round_trip_exact_for_flat_colours_and_one_gif_frame_per_frame(tmp_path):
    frames = _frames(12)
    path = tmp_path / "a.gif"
    with encode.GifWriter(path, (W, H), 10) as w:
        for f in frames:
            w.write(f)
    decoded = iio.imread(path, index=None)
    assert decoded.shape == (12, H, W, 3)          # identical frames were not merged
    for k in range(12):
        np.testing.assert_array_equal(decoded[k], frames[k])
    np.testing.assert_array_equal(np.array(_ffmpeg_frames(path, W, H)), np.array(frames))
    assert not list(tmp_path.glob(".*part*"))


def test_gif_delays_add_up_to_k_over_fps(tmp_path):
    from PIL import Image

    path = tmp_path / "d.gif"
    with encode.GifWriter(path, (W, H), 30) as w:
        for f in _frames(30):
            w.write(f)
    delays = []
    with Image.open(path) as im:
        for i in range(im.n_frames):
            im.seek(i)
            delays.append(im.info["duration"])
    assert len(delays) == 30
    assert sum(delays) == 1000                         # 30 frames at 30 fps = 1 s exactly
    assert set(delays) <= {30, 40}
    assert encode.gif_delays_cs(30, 30) == [d // 10 for d in delays]


def test_gif_new_colours_later_get_a_local_table(tmp_path):
    frames = _frames(6)
    # later frames introduce a gradient the first frames never had
    for k in range(3, 6):
        frames[k][40:60, 40:90] = np.linspace(0, 255, 50, dtype=np.uint8)[None, :, None] * \
            np.array([1, 0, 0], np.uint8)
    path = tmp_path / "g.gif"
    w = encode.GifWriter(path, (W, H), 10, palette_frames=2)
    for f in frames:
        w.write(f)
    w.close()
    assert w.local_tables >= 1
    decoded = iio.imread(path, index=None)
    err = np.abs(decoded.astype(int) - np.array(frames).astype(int)).max()
    assert err <= 10


def test_mp4_h264_yuv420p_even_size(tmp_path):
    frames = [np.ascontiguousarray(f[:63, :95]) for f in _frames(10)]    # odd 95x63
    path = tmp_path / "a.mp4"
    with encode.Mp4Writer(path, (95, 63), 10) as w:
        for f in frames:
            w.write(f)
    meta = iio.immeta(path, plugin="FFMPEG")
    assert meta["codec"] == "h264"
    assert tuple(meta["size"]) == (96, 64)
    decoded = iio.imread(path, index=None, plugin="FFMPEG")
    assert decoded.shape == (10, 64, 96, 3)
    assert np.abs(decoded[:, :63, :95].astype(int) - np.array(frames).astype(int)).mean() < 4
    probe = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert probe[0] == 10
    import subprocess
    info = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                          capture_output=True, text=True).stderr
    assert "yuv420p" in info


def test_png_sequence_into_new_or_empty_folder(tmp_path):
    out = tmp_path / "frames"
    out.mkdir()
    with encode.open_writer(out, (W, H), 5) as w:
        for f in _frames(4):
            w.write(f)
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"frame_{k:05d}.png" for k in range(4)]
    np.testing.assert_array_equal(iio.imread(out / "frame_00003.png"), _frames(4)[3])


def test_abort_leaves_nothing(tmp_path):
    for name in ("x.gif", "x.mp4", "xdir"):
        w = encode.open_writer(tmp_path / name, (W, H), 10)
        w.write(_frames(1)[0])
        w.abort()
    assert list(tmp_path.iterdir()) == []


def test_threaded_writer_keeps_order_and_reports_errors(tmp_path):
    path = tmp_path / "t.gif"
    tw = encode.ThreadedWriter(encode.GifWriter(path, (W, H), 10))
    frames = _frames(9)
    for f in frames:
        tw.write(f)
    tw.close()
    np.testing.assert_array_equal(iio.imread(path, index=None), np.array(frames))
    tw = encode.ThreadedWriter(encode.GifWriter(tmp_path / "bad.gif", (W, H), 10))
    tw.write(np.zeros((10, 10, 3), np.uint8))            # wrong size: fails in the worker
    with pytest.raises(ValueError, match="expected 96x64"):
        tw.close()
    assert not (tmp_path / "bad.gif").exists()


def test_check_output_rejects_before_anything_is_written(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    cases = [(tmp_path / "full", "not empty"), (tmp_path / "a.avi", "unsupported output type"),
             (tmp_path / "missing" / "a.gif", "does not exist")]
    for path, msg in cases:
        with pytest.raises(encode.OutputError, match=msg):
            encode.check_output(path)
    with pytest.raises(encode.OutputError, match="at most 50 fps"):
        encode.check_output(tmp_path / "fast.gif", fps=60)
    assert encode.check_output(tmp_path / "ok.mp4", fps=60) == "mp4"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]
