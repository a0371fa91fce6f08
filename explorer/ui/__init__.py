"""Qt user interface: the main window (:mod:`main_window`) and one module per dock (:mod:`docks`)."""
