"""Content-addressed, read-only storage of recordings under ``var_dir()/media``.

A file is stored once under its SHA-256 and never rewritten; verifying recomputes the hash from disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from leniency.config.env import var_dir

CHUNK = 1024 * 1024


def media_root() -> Path:
    path = var_dir() / "media"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_of(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def relative_path(sha256: str) -> str:
    return f"recordings/{sha256[:2]}/{sha256}"


def store(chunks: Iterable[bytes]) -> tuple[str, int, str]:
    """Write the stream to a temporary file, then link it into place under its hash (read-only)."""
    root = media_root()
    tmp_dir = root / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        sha = digest.hexdigest()
        rel = relative_path(sha)
        final = root / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp_name, 0o444)
        try:
            os.link(tmp_name, final)  # never overwrites: an existing file with this hash is the same content
        except FileExistsError:
            pass
        return sha, size, rel
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def read_chunks(path: Path) -> Iterable[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def stored_hash(rel: str) -> str | None:
    path = media_root() / rel
    if not path.is_file():
        return None
    return sha256_of(read_chunks(path))[0]
