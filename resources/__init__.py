"""Data files of Cross-Entropy Explorer (presets, demos, help, translations, icons, desktop files).

Installed as the package ``explorer._resources``; read them only through
:mod:`explorer.resources`, never by a path relative to a source file.
"""
