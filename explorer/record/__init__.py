"""Recording demo animations: scripted scenarios rendered frame-exact, and live capture.

* :mod:`explorer.record.scenario` — the JSON scenario schema and its validation (pure Python);
* :mod:`explorer.record.timeline` — scheduling and easing, time from the frame index (pure);
* :mod:`explorer.record.encode` — GIF / MP4 / PNG-sequence writers (numpy frames in, no Qt);
* :mod:`explorer.record.render` — drives a headless main window through a scenario;
* :mod:`explorer.record.overlay` — synthetic cursor and captions drawn over frames;
* :mod:`explorer.record.frames` — a grabbed QImage as a numpy array.

The in-app recorder is UI and lives in :mod:`explorer.ui.recording` (menu actions, dialogs)
and :mod:`explorer.ui.live_recorder` (capture while the user works); it uses this package,
never the other way round.
"""
