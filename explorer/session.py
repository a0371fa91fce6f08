"""Session files: read, validate, migrate and write the whole app state as one JSON document.

A session is plain data (glue ``State.as_dict``, Orange ``settings_version``): nothing in a file
is ever evaluated, unpickled or imported.  Reading is size-limited *before* anything is read, so a
1 GB file is refused from its size alone, and never blocks (a FIFO or a device is refused).  Every
value is checked once, with its key path in the message (:func:`explorer.jsonutil.check_values`):
NaN/Infinity, numbers beyond ±1e15, lone surrogates in text and nesting deeper than
:data:`MAX_DEPTH` are refused.

File format, version 2 (current)::

    {
      "format": "cross-entropy-explorer-session",
      "version": 2,                       # the file format (this module)
      "model": {"version": 1, "p": ...},  # AppModel.to_dict(): its own schema version
      "layout": {"dock_state": "<base64 of QMainWindow.saveState()>", "help_topic": "entropy",
                 "workspace": "information"}
    }

Version 1 was written by the first release: the bare ``AppModel.to_dict()`` (``"version": 1`` and
the model's keys at the top level, no layout).

Migrations are small step functions, one per version (:data:`FILE_MIGRATIONS` maps *n* to the
function turning a version-*n* document into version *n + 1*); :func:`migrate` applies them in
turn.  The model's own schema has the same mechanism (:data:`MODEL_MIGRATIONS`), so a later change
of ``AppModel.SCHEMA_VERSION`` adds one step and keeps every old file loadable.  Each version has
an example file in ``tests/data/sessions/``.

Before the model sees the data, :func:`check_model_types` compares every known key with the type
of the model's default value (derived from ``AppModel().to_dict()``, so fields added later are
covered without touching this module); the model's ``from_dict`` then checks ranges and meaning
on a scratch copy.  Every refusal is a :class:`SessionError` (a ``ValueError`` and an
``InputError``) whose message names the file and the field.
"""
from __future__ import annotations

import base64
import binascii
import copy
import json
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from explorer import jsonutil
from explorer.core.errors import InputError
from explorer.jsonutil import json_type_name as _json_type

FORMAT_NAME = "cross-entropy-explorer-session"
SESSION_VERSION = 2
#: Largest session file we read (a real one is a few kB; N = 1000 categories is ~100 kB).
MAX_SESSION_BYTES = 5 * 1024 * 1024
#: Largest base64 dock layout accepted (Qt's saveState() is a few kB).
MAX_LAYOUT_CHARS = 256 * 1024
#: Deepest nesting accepted in a session document (real files nest 3 levels).
MAX_DEPTH = 12


class SessionError(InputError):
    """A session file that cannot be used; the message says which file and what is wrong.

    An :class:`~explorer.core.errors.InputError`: refusals written as templates (``{file}: ...``
    plus fields) are shown in the interface language by ``i18n.tr_error``; older ones are a
    finished English sentence (no fields), kept as they are."""

    def __init__(self, template: str, **fields):
        if not fields:          # a finished sentence: its braces are text, not placeholders
            template = template.replace("{", "{{").replace("}", "}}")
        super().__init__(template, **fields)

    @classmethod
    def from_input_error(cls, exc: InputError) -> "SessionError":
        if isinstance(exc, cls):
            return exc
        return cls(exc.template, **exc.fields) if exc.fields else cls(str(exc))


@dataclass
class Session:
    """A validated, migrated session: the model dict and the (optional) view layout."""

    model: dict
    layout: dict = field(default_factory=dict)
    version_read: int = SESSION_VERSION   # the version the file was written with

    @property
    def dock_state(self) -> bytes | None:
        text = self.layout.get("dock_state")
        return base64.b64decode(text) if text else None


# ---------------------------------------------------------------------------------- reading
def parse_json_text(text: str, name: str = "session") -> object:
    """Parse *text* as strict JSON and check every value (see :func:`explorer.jsonutil.check_values`):
    no NaN/Infinity, no overflowing or huge numbers, no lone surrogates, bounded nesting.  Every
    refusal names the field."""
    try:
        doc = jsonutil.parse_json(text, name)
        jsonutil.check_values(doc, name, max_depth=MAX_DEPTH)
    except InputError as exc:
        raise SessionError.from_input_error(exc) from None
    return doc


def read_document(path: str | os.PathLike) -> object:
    """Read a JSON file (data only, size-limited, never blocking: a FIFO or a device is refused)
    and check its values; raise :class:`SessionError` (a ValueError) with a clear reason.
    Returns the raw, not yet validated document."""
    path = Path(path)
    try:
        try:
            raw = jsonutil.read_regular_file(path, MAX_SESSION_BYTES)
        except OSError as exc:
            raise InputError("{file}: cannot read file ({reason})", file=str(path),
                             reason=exc.strerror or str(exc)) from None
        if not raw.strip():
            raise InputError("{file}: the file is empty", file=path.name)
        doc = jsonutil.parse_json(jsonutil.decode_text(raw, path.name), path.name)
        jsonutil.check_values(doc, path.name, max_depth=MAX_DEPTH)
    except InputError as exc:
        raise SessionError.from_input_error(exc) from None
    return doc


# ---------------------------------------------------------------------------------- migrations
def _file_v1_to_v2(doc: dict) -> dict:
    """v1 was the bare model dict; v2 wraps it and adds the layout."""
    return {"format": FORMAT_NAME, "version": 2, "model": dict(doc), "layout": {}}


#: file version n -> function(doc_n) -> doc_{n+1}
FILE_MIGRATIONS = {1: _file_v1_to_v2}
#: model schema version n -> function(model_dict_n) -> model_dict_{n+1}  (none needed yet)
MODEL_MIGRATIONS: dict = {}


def _version_of(doc: dict, where: str) -> int:
    version = doc.get("version")
    if version is None:
        raise SessionError(f"{where}version: missing (not a session file?)")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionError(f"{where}version: expected a whole number, got {version!r:.40}")
    if version < 1:
        raise SessionError(f"{where}version: {version} is not a valid version")
    return version


def migrate(doc: object) -> dict:
    """Bring a raw document of any known file version to :data:`SESSION_VERSION` (a new dict;
    *doc* is not modified)."""
    if not isinstance(doc, dict):
        raise SessionError(f"session: expected a JSON object at the top level, got {_json_type(doc)}")
    doc = copy.deepcopy(doc)
    version = _version_of(doc, "")
    if version > SESSION_VERSION:
        raise SessionError(f"version: the file was written by a newer version of the app (file "
                           f"version {version}, this app reads up to {SESSION_VERSION})")
    while version < SESSION_VERSION:
        step = FILE_MIGRATIONS.get(version)
        if step is None:
            raise SessionError(f"version: no migration from file version {version}")
        doc = step(doc)
        version = doc["version"]
    return doc


def migrate_model(model: dict) -> dict:
    """Bring a model dict to ``AppModel``'s current ``SCHEMA_VERSION``."""
    from explorer.model.app_model import SCHEMA_VERSION

    version = _version_of(model, "model.")
    if version > SCHEMA_VERSION:
        raise SessionError(f"model.version: the state was written by a newer version of the app "
                           f"(schema {version}, this app reads up to {SCHEMA_VERSION})")
    while version < SCHEMA_VERSION:
        step = MODEL_MIGRATIONS.get(version)
        if step is None:
            raise SessionError(f"model.version: no migration from schema {version}")
        model = step(model)
        version = model["version"]
    return model


# ---------------------------------------------------------------------------------- validation
def _type_matches(default, value) -> bool:
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, list):
        return isinstance(value, list)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return True


def _expected_name(default) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, str):
        return "text"
    if isinstance(default, list):
        return "a list"
    return "an object"


def _check_against(default, value, name: str) -> None:
    if not _type_matches(default, value):
        raise SessionError(f"{name}: expected {_expected_name(default)}, got {_json_type(value)}")
    if isinstance(default, dict):
        for key, sub in value.items():
            if key in default:
                _check_against(default[key], sub, f"{name}.{key}")
    elif isinstance(default, list) and default:
        # element type from the default's elements (all of one kind in AppModel.to_dict())
        proto = default[0]
        if all(_type_matches(proto, d) for d in default):
            for i, item in enumerate(value):
                if not _type_matches(proto, item):
                    raise SessionError(f"{name}: entry {i} must be {_expected_name(proto)}, "
                                       f"got {_json_type(item)}")


def model_defaults() -> dict:
    """``AppModel().to_dict()`` computed once per process (the reference for types)."""
    global _DEFAULTS
    if _DEFAULTS is None:
        from explorer.model import AppModel
        _DEFAULTS = AppModel().to_dict()
    return _DEFAULTS


_DEFAULTS: dict | None = None


def check_model_types(model: dict) -> None:
    """Refuse values whose JSON type differs from the default's (the model checks ranges)."""
    defaults = model_defaults()
    for key, value in model.items():
        if key in defaults and key != "version":
            _check_against(defaults[key], value, key)


def _check_layout(layout) -> dict:
    if not isinstance(layout, dict):
        raise SessionError(f"layout: expected an object, got {_json_type(layout)}")
    out = {}
    state = layout.get("dock_state")
    if state is not None:
        if not isinstance(state, str):
            raise SessionError(f"layout.dock_state: expected base64 text, got {_json_type(state)}")
        if len(state) > MAX_LAYOUT_CHARS:
            raise SessionError(f"layout.dock_state: too long ({len(state)} characters)")
        try:
            base64.b64decode(state, validate=True)
        except (binascii.Error, ValueError):
            raise SessionError("layout.dock_state: not valid base64") from None
        out["dock_state"] = state
    topic = layout.get("help_topic")
    if topic is not None:
        if not isinstance(topic, str) or len(topic) > 64:
            raise SessionError("layout.help_topic: expected a short text")
        out["help_topic"] = topic
    workspace = layout.get("workspace")
    if workspace is not None:
        from explorer.workspace_designs import NAMES

        if not isinstance(workspace, str) or workspace not in NAMES:
            raise SessionError(f"layout.workspace: expected one of {', '.join(NAMES)}, got "
                               f"{str(workspace)[:40]!r}")
        out["workspace"] = workspace
    return out


def parse_session(doc: object, name: str = "session") -> Session:
    """Migrate and structurally validate a raw document; return a :class:`Session`.

    The model dict is type-checked here; its values are range-checked by ``AppModel.from_dict``
    (see :func:`apply_to_model`)."""
    try:
        jsonutil.check_values(doc, name, max_depth=MAX_DEPTH)
    except InputError as exc:
        raise SessionError.from_input_error(exc) from None
    try:
        version_read = _version_of(doc, "") if isinstance(doc, dict) else None
        doc = migrate(doc)
        fmt = doc.get("format", FORMAT_NAME)
        if fmt != FORMAT_NAME:
            raise SessionError(f"format: not a {FORMAT_NAME} file (format {fmt!r:.60})")
        if "model" not in doc:
            raise SessionError("model: missing")
        model = doc["model"]
        if not isinstance(model, dict):
            raise SessionError(f"model: expected an object, got {_json_type(model)}")
        model = migrate_model(model)
        check_model_types(model)
        layout = _check_layout(doc.get("layout", {}))
    except SessionError as exc:
        if "file" in exc.fields:           # already names the file
            raise
        raise SessionError(f"{name}: {exc}") from None
    return Session(model=model, layout=layout, version_read=version_read)


def load_session(path: str | os.PathLike) -> Session:
    """Read, migrate and validate *path* (the model values are checked when applied)."""
    path = Path(path)
    return parse_session(read_document(path), path.name)


def read_session_file(path: str | os.PathLike) -> dict:
    """The model dict of session file *path*, any version, migrated and type-checked: ready for
    ``AppModel.from_dict`` (which checks the values).  Raises :class:`SessionError`."""
    return load_session(path).model


def apply_to_model(session: Session, model, name: str = "session") -> None:
    """Load *session* into *model* as one change; on any problem raise :class:`SessionError`
    naming the field and leave *model* untouched (``from_dict`` validates on a scratch copy)."""
    try:
        model.from_dict(session.model)
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, ValueError) else f"invalid value ({exc})"
        raise SessionError(f"{name}: {reason}") from None


def build_session(model, layout: dict | None = None) -> dict:
    """The current-version document for *model* (plus optional *layout*)."""
    doc = {"format": FORMAT_NAME, "version": SESSION_VERSION, "model": model.to_dict()}
    doc["layout"] = dict(layout or {})
    return doc


def encode_state(state: bytes) -> str:
    return base64.b64encode(bytes(state)).decode("ascii")


# ---------------------------------------------------------------------------------- writing
def write_json_atomic(path: str | os.PathLike, data: dict, *, new_file_mode: int | None = None) -> None:
    """Write *data* as JSON to a temp file beside *path*, fsync it, then rename it over *path*.

    Either the new file is complete or the previous one is untouched: a failure at any step
    (disk full, read-only folder, interrupted write) removes the temp file and re-raises.

    As editors do, a symlink stays a link: the file it points to (followed to the end, created
    if missing) is the one replaced; and a file keeps its permission bits (a 0644 session stays
    0644; its owner and group too where we may set them).  A new file gets ``new_file_mode``
    (default: 0666 less the umask, like any file the user creates).  Text that is not valid
    Unicode (a lone surrogate, which the readers refuse) is written as U+FFFD, what the screen
    shows for it, so a save never fails on it.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    text = jsonutil.without_surrogates(text)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            _copy_mode(fh.fileno(), old, new_file_mode)
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(target.parent)


def _umask() -> int:
    """The process umask, read without changing it where the system tells (Linux), since
    setting it, even for a moment, affects files other threads create meanwhile."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _copy_mode(fd: int, old: os.stat_result | None, new_file_mode: int | None) -> None:
    """Give the temp file (mkstemp makes it 0600) the permissions the saved file should have."""
    if old is not None:
        mode = stat.S_IMODE(old.st_mode)
        if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.fchown(fd, old.st_uid, old.st_gid)
            except OSError:              # not allowed (another owner): keep ours, as editors do
                pass
    else:
        mode = new_file_mode if new_file_mode is not None else 0o666 & ~_umask()
    try:
        os.fchmod(fd, mode)
    except (OSError, AttributeError):    # no fchmod (Windows): the default stays
        pass


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); harmless where directories cannot be opened."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def describe_os_error(exc: BaseException) -> str:
    """A short human reason for a failed write ("No space left on device", ...)."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
