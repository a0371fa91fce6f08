"""Recording demo animations: scripted scenarios rendered frame-exact, and live capture.

* :mod:`explorer.record.scenario` — the JSON scenario schema and its validation (pure Python);
* :mod:`explorer.record.timeline` — scheduling and easing, time from the frame index (pure);
* :mod:`explorer.record.encode` — GIF / MP4 / PNG-sequence writers (numpy frames in, no Qt);
* :mod:`explorer.record.render` — drives a headless main window through a scenario;
* :mod:`explorer.record.overlay` — synthetic cursor and captions drawn over frames;
* :mod:`explorer.record.live` — live recording of the window or a dock while the user works.
"""
