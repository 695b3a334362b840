"""Export the workspace: RDF formats from the store, GraphML from the property graph."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
import pyoxigraph as ox

from ingest.model import InputError
from kg.project import project, to_networkx
from kg.store import Workspace

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": None,
    "graphml": None,
}


def export(ws: Workspace, fmt: str, out: BinaryIO) -> None:
    """Write the whole graph to ``out`` in ``fmt`` (quad formats keep the per-article graphs)."""
    if fmt == "graphml":
        g = to_networkx(project(ws))
        for _, data in g.nodes(data=True):
            _flatten(data)
        for _, _, data in g.edges(data=True):
            _flatten(data)
        nx.write_graphml(g, out)
    elif fmt == "jsonld":
        import rdflib

        ds = rdflib.Dataset()
        buf = _nquads(ws)
        ds.parse(data=buf, format="nquads")
        out.write(ds.serialize(format="json-ld", indent=2).encode("utf-8"))
    else:
        rdf_format = FORMATS[fmt]
        assert rdf_format is not None, fmt
        ws.dump(rdf_format, out)


def _nquads(ws: Workspace) -> str:
    import io

    buf = io.BytesIO()
    ws.dump(ox.RdfFormat.N_QUADS, buf)
    return buf.getvalue().decode("utf-8")


def _flatten(data: dict[str, Any]) -> None:
    """GraphML holds scalars only: sets and lists become JSON strings."""
    for key, value in list(data.items()):
        if key == "__labels__":
            data["labels"] = ":".join(sorted(value))
            del data[key]
        elif isinstance(value, list | set | tuple):
            data[key] = json.dumps(sorted(value) if isinstance(value, set) else list(value))


# --- writing a file -----------------------------------------------------------------------------------------

_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


def output_path(name: str | os.PathLike[str]) -> Path:
    """The file an export to ``name`` replaces: ``name``, or the file a symbolic link ``name`` points to.

    Only a regular file or a new name in an existing directory: a device, FIFO or directory given as the
    output is refused (an export used to replace ``/dev/full`` with a regular file).
    """
    text = os.fspath(name)
    if not text:
        raise InputError("the output file name is empty")
    if text.endswith(("/", os.sep)) or os.path.basename(text) in (".", ".."):
        raise InputError("names a directory, not a file", text)
    path = Path(os.path.realpath(text))  # a link is followed: the file it points to is what gets replaced
    _check_output(path, text)
    if not path.parent.is_dir():
        raise InputError(f"no such directory {str(path.parent)!r}", text)
    return path


def _check_output(path: Path, shown_as: str) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", shown_as) from None
    for test, kind in _NOT_REGULAR:
        if test(mode):
            raise InputError(f"is {kind}: an export writes only to a regular file or a new path", shown_as)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write that replaces ``path`` (see ``output_path``) in one rename once the block has finished.

    The data go to a temporary file beside it, so a failed or interrupted export leaves ``path`` as it was
    and no temporary file behind (only a SIGKILL can: it runs no cleanup). The new file keeps the mode of
    the one it replaces, or gets the mode ``open()`` would give a new one.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        _check_output(path, str(path))  # again: something else may have been put there meanwhile
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
