"""Reusable widgets and pyqtgraph items shared by the docks."""
