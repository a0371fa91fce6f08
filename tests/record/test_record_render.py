"""Rendering scenarios headless: frame count, size, motion vs hold, determinism, overlays."""
import json

import imageio.v3 as iio
import numpy as np
import pytest

from explorer.record import render
from explorer.record.scenario import ScenarioError, validate_scenario

FPS = 10
SIZE = (480, 320)
SCENARIO = {
    "version": 1, "title": "test", "fps": FPS, "size": list(SIZE),
    "actions": [
        {"action": "layout", "docks": ["p"]},
        {"action": "state", "p": [0.5, 0.3, 0.2]},
        {"action": "hold", "duration": 0.5},                                  # frames 0-4
        {"action": "animate", "target": "p", "to": [0.2, 0.3, 0.5], "duration": 0.5,
         "easing": "linear"},                                                 # frames 5-9
        {"action": "hold", "duration": 0.5},                                  # frames 10-14
    ],
}
N_FRAMES = 15   # 1.5 s x 10 fps


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "short.json"
    path.write_text(json.dumps(SCENARIO), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def png_run(qapp, tmp_path_factory):
    """The short scenario rendered once as PNG frames (shared by the tests below)."""
    tmp = tmp_path_factory.mktemp("png_run")
    path = tmp / "short.json"
    path.write_text(json.dumps(SCENARIO), encoding="utf-8")
    result = render.render_scenario(path, tmp / "run1")
    return result, tmp / "run1"


def _changed(a, b) -> bool:
    return bool(np.any(a != b))


def _check_motion(frames):
    # holds are pixel-identical; every frame of the animation moves
    for k in range(1, 6):
        assert not _changed(frames[k], frames[k - 1]), f"frame {k} changed during the hold"
    for k in range(6, 11):
        assert _changed(frames[k], frames[k - 1]), f"frame {k} did not move"
    for k in range(11, N_FRAMES):
        assert not _changed(frames[k], frames[k - 1]), f"frame {k} changed during the hold"


def test_png_sequence_is_deterministic_and_moves_only_when_animating(qapp, scenario_file, tmp_path,
                                                                   png_run):
    r, out1 = png_run
    out2 = tmp_path / "run2"
    assert r.frames == N_FRAMES and r.size == SIZE
    render.render_scenario(scenario_file, out2)
    names = sorted(p.name for p in out1.iterdir())
    assert len(names) == N_FRAMES
    for name in names:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    frames = [iio.imread(out1 / n) for n in names]
    assert frames[0].shape == (SIZE[1], SIZE[0], 3)
    _check_motion(frames)


def test_gif_and_mp4_decode_to_duration_times_fps(qapp, scenario_file, tmp_path, png_run):
    gif, mp4 = tmp_path / "a.gif", tmp_path / "a.mp4"
    render.render_scenario(scenario_file, gif)
    render.render_scenario(scenario_file, mp4)
    g = iio.imread(gif, index=None)
    assert g.shape == (N_FRAMES, SIZE[1], SIZE[0], 3)
    _check_motion(list(g))
    m = iio.imread(mp4, index=None, plugin="FFMPEG")
    assert m.shape == (N_FRAMES, SIZE[1], SIZE[0], 3)
    # lossy, but still: the hold is (nearly) still and the animation moves
    assert np.abs(m[1].astype(int) - m[3].astype(int)).mean() < 0.3
    assert np.abs(m[6].astype(int) - m[9].astype(int)).max() > 40
    # the GIF matches the lossless frames up to palette rounding
    ref = iio.imread(png_run[1] / "frame_00008.png").astype(int)
    assert np.mean(np.abs(g[8].astype(int) - ref)) < 1.0
    # a second GIF is byte-identical
    gif2 = tmp_path / "b.gif"
    render.render_scenario(scenario_file, gif2)
    assert gif.read_bytes() == gif2.read_bytes()


def test_fps_and_size_overrides(qapp, scenario_file, tmp_path):
    r = render.render_scenario(scenario_file, tmp_path / "o.gif", fps=20, size=(400, 300))
    g = iio.imread(tmp_path / "o.gif", index=None)
    assert g.shape == (30, 300, 400, 3) and r.frames == 30


def test_invalid_scenario_writes_nothing(qapp, tmp_path):
    bad = dict(SCENARIO, actions=SCENARIO["actions"] + [{"action": "animate", "target": "p",
                                                        "to": [2, -1, 0], "duration": 1}])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    for out in ("o.gif", "o.mp4", "frames"):
        with pytest.raises(ScenarioError, match=r"^bad\.json: actions\[5\] \(animate\) to\[0\]: "
                                                 r"2 is outside \[0, 1\]"):
            render.render_scenario(path, tmp_path / out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_cancel_removes_partial_output(qapp, scenario_file, tmp_path):
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 4

    with pytest.raises(render.Cancelled):
        render.render_scenario(scenario_file, tmp_path / "c.mp4", cancel=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["short.json"]


def _renderer(actions, size=SIZE, fps=FPS):
    sc = validate_scenario({"version": 1, "fps": fps, "actions": actions}, "t.json")
    return render.ScenarioRenderer(sc, size=size, fps=fps)


def test_drag_moves_the_real_model_and_draws_the_cursor_on_the_bar(qapp):
    r = _renderer([{"action": "layout", "docks": ["p", "q"]},
                   {"action": "state", "p": [0.2, 0.3, 0.5]},
                   {"action": "drag", "target": "p", "index": 1, "to": 0.8, "duration": 1.0,
                    "easing": "linear"},
                   {"action": "hold", "duration": 0.3}], size=(640, 520))
    finished, changing = [], []
    r.model.sigChangeFinished.connect(lambda c: finished.append(c))
    r.model.sigChanged.connect(lambda c: changing.append(c.finished))
    try:
        values = []
        for k in range(r.n_frames):
            frame = r.frame(k)
            values.append(float(r.model.p[1]))
            if k == 2:
                n_finished_before = len(finished)
            if k == 4:
                # a ripple around the press point: ring pixels on both sides of the tip
                raw = render.qimage_to_rgb(r._grab())
                diff = np.any(frame != raw, axis=2)
                ys, xs = np.nonzero(diff)
                px, py = r._bar_point("p", 1, 0.3)          # where the drag pressed
                assert xs.min() < px - 8 and ys.min() < py - 8 and ys.max() > py + 8
            if k == 8:
                # mid-drag, the ripple gone: the overlay differs from the raw window only
                # around the bar top
                raw = render.qimage_to_rgb(r._grab())
                diff = np.any(frame != raw, axis=2)
                ys, xs = np.nonzero(diff)
                bx, by = r._bar_point("p", 1, values[-1])
                assert diff.sum() > 50
                assert abs(xs.min() - bx) < 25 and abs(ys.min() - by) < 25
                assert xs.max() - xs.min() < 40 and ys.max() - ys.min() < 40
                assert len(finished) == n_finished_before   # still dragging: only "changing"
        # approach (frames 0-2) leaves p alone; dragging moves it monotonically to 0.8
        assert values[0] == values[2] == pytest.approx(0.3)
        assert all(b >= a for a, b in zip(values, values[1:]))
        assert values[-1] == pytest.approx(0.8)
        assert 0.3 < values[5] < 0.8
        assert float(r.model.p.sum()) == pytest.approx(1.0)
        assert any(c is False for c in changing) and len(finished) == n_finished_before + 1
    finally:
        r.close()


def test_caption_sits_in_a_band_of_its_own_any_language_with_fade(qapp):
    """Issue 20: a "top" caption gets a band above the content (the frame grows by it), so it
    never covers a control; it fades in and out inside the band."""
    r = _renderer([{"action": "layout", "docks": ["p"]},
                   {"action": "caption", "text": "交叉熵 H(p, q) = H(p) + KL", "duration": 1.0,
                    "position": "top", "fade": 0.3},
                   {"action": "hold", "duration": 1.0}])
    try:
        amounts = []
        for k in range(r.n_frames):
            frame = r.frame(k)
            raw = render.qimage_to_rgb(r._grab())
            band = frame.shape[0] - raw.shape[0]
            assert frame.shape[1] == raw.shape[1] == SIZE[0] and 24 < band < 120
            # the content below the band is exactly the window: nothing covers it
            np.testing.assert_array_equal(frame[band:], raw)
            top = frame[:band].astype(int)
            amounts.append(int(np.abs(top - top[0, 0]).sum()))
            if k == 5:
                ys, xs = np.nonzero(np.any(top != top[0, 0], axis=2))
                assert abs((xs.min() + xs.max()) / 2 - SIZE[0] / 2) < 20   # centred
                assert ys.min() > 0 and ys.max() < band - 1                # inside the band
                dark = frame[ys, xs].max(axis=1) < 100                     # the dark box
                assert dark.mean() > 0.4
        assert amounts[4] > 1000
        assert all(a == 0 for a in amounts[10:])     # gone after its duration
        assert amounts[0] < amounts[1] < amounts[2] <= amounts[4]        # fading in
        assert amounts[9] < amounts[8] < amounts[7] <= amounts[5]        # fading out
    finally:
        r.close()


@pytest.mark.parametrize("position", ["top-right", [0.5, 0.5]])
def test_a_caption_placed_explicitly_is_drawn_over_the_content(qapp, position):
    r = _renderer([{"action": "layout", "docks": ["p"]},
                   {"action": "caption", "text": "here", "duration": 0.5, "position": position,
                    "fade": 0},
                   {"action": "hold", "duration": 0.5}])
    try:
        frame = r.frame(0)
        raw = render.qimage_to_rgb(r._grab())
        assert frame.shape == raw.shape == (SIZE[1], SIZE[0], 3)     # no band
        ys, xs = np.nonzero(np.any(frame != raw, axis=2))
        cx, cy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
        if position == "top-right":
            assert cx > SIZE[0] * 0.7 and cy < SIZE[1] * 0.3
        else:
            assert abs(cx - SIZE[0] / 2) < 10 and abs(cy - SIZE[1] / 2) < 10
    finally:
        r.close()


def test_scale_2_renders_hidpi_frames_of_the_same_picture(qapp, tmp_path):
    data = {"version": 1, "fps": FPS, "actions": [
        {"action": "layout", "docks": ["sigmoid"]},
        {"action": "z_marker", "to": -3.0, "duration": 0.3}]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    render.render_scenario(path, tmp_path / "x1", size=(640, 480))
    r2 = render.render_scenario(path, tmp_path / "x2", size=(640, 480), scale=2)
    assert r2.size == (1280, 960)
    a = iio.imread(tmp_path / "x1" / "frame_00002.png").astype(float)
    b = iio.imread(tmp_path / "x2" / "frame_00002.png").astype(float)
    assert b.shape == (960, 1280, 3)
    small = b.reshape(480, 2, 640, 2, 3).mean(axis=(1, 3))
    assert np.abs(small - a).mean() < 12          # same picture, just twice the pixels


def test_frames_larger_than_7680x4320_are_refused_before_any_work(tmp_path):
    """Issue 14 item 5: one 15360×8640 frame took 1.7 GB; the limit is said before rendering."""
    from explorer.record import render
    sc = validate_scenario({"version": 1, "size": [3840, 2160],
                            "actions": [{"action": "hold", "duration": 0.1}]}, "big.json")
    out = tmp_path / "out.gif"
    with pytest.raises(ValueError) as info:
        render.render_scenario(sc, out, size=(7680, 4320), scale=2)
    assert str(info.value) == ("size: 7680×4320 at scale 2 makes frames of 15360×8640 pixels; at "
                               "most 7680×4320 (for example 3840×2160 at scale 2)")
    assert not out.exists()
    for size, scale in (((3840, 2160), 2), ((7680, 4320), 1)):
        assert render.check_frame_size(size, scale) == size
    for size in ((0, 0), ("1280", 720), (1280.5, 720), (1280,)):
        with pytest.raises(ValueError, match="size: expected a width and a height"):
            render.check_frame_size(size, 1)
    with pytest.raises(ValueError, match=r"makes frames of .*; at most 7680×4320"):
        render.check_frame_size((10**400, 720), 1)


def test_sample_action_draws_the_same_events_at_the_same_moments_at_any_fps(qapp):
    """Issue 17: a scripted sample is deterministic: its count follows the frame time, and
    its events are the seed's, whatever the frame rate."""
    actions = [{"action": "layout", "docks": ["p", "sampling"]},
               {"action": "state", "preset": "pc-power-on"},
               {"action": "sample", "seed": 9, "events": 300, "duration": 1.0},
               {"action": "hold", "duration": 0.2}]
    counts = {}
    for fps in (10, 20):
        r = _renderer(actions, size=(640, 480), fps=fps)
        try:
            seen = []
            for k in range(r.n_frames):
                r.frame(k)
                seen.append((k / fps, r.model.sampling.count))
            counts[fps] = dict(seen)
            events = np.array(r.model.sample_numbers.events)
        finally:
            r.close()
        from explorer import core
        np.testing.assert_array_equal(events, core.draw_events([0.7, 0.2, 0.1], 9, 0, 300))
    # the same count at the times both frame rates show
    for t, n in counts[10].items():
        assert counts[20][t] == n, t
    assert counts[10][0.5] == 150 and max(counts[10].values()) == 300
