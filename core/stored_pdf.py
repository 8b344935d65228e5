"""Rendered PDFs as files in Django's storage, named after the digest of what they show.

A document keeps its rendered PDF in a ``FileField``; the file's name ends in the content digest
of the print HTML (``core.pdf.content_digest``). Every process that shares the storage (the
development server, gunicorn workers, the Celery worker) finds it, and a file whose name does
not carry the digest of the document as it renders now is stale and is never served.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import models

# Enough of the SHA-256 to tell two renderings apart, short enough for a readable file name.
DIGEST_CHARS = 32


def file_name(folder: str, stem: str, digest: str) -> str:
    return f"{folder}/{stem}-{digest[:DIGEST_CHARS]}.pdf"


def matches(field_file: models.fields.files.FieldFile, digest: str) -> bool:
    """Does the stored file show exactly this content (its name carries the digest)?"""
    name = field_file.name or ""
    return PurePosixPath(name).name.endswith(f"-{digest[:DIGEST_CHARS]}.pdf")


def read(field_file: models.fields.files.FieldFile) -> bytes | None:
    """The stored file's bytes; None when there is none or it has gone from the storage."""
    if not field_file.name:
        return None
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def store(
    instance: models.Model, field_name: str, *, folder: str, stem: str, digest: str, data: bytes
) -> str:
    """Save the PDF as the document's file and drop the one it replaces; the stored name.

    Only the file column is written (a fresh copy of the row, ``update_fields``), so a render
    never overwrites a change someone saved meanwhile. A file of the same name already holds the
    same content (the digest is in the name) and is reused.
    """
    field = instance._meta.get_field(field_name)
    storage = field.storage
    name = file_name(folder, stem, digest)
    if not storage.exists(name):
        name = storage.save(name, ContentFile(data))
    fresh = type(instance)._base_manager.get(pk=instance.pk)
    old = getattr(fresh, field_name).name
    if old == name:
        return name
    setattr(fresh, field_name, name)
    fresh.save(update_fields=[field_name])
    setattr(instance, field_name, name)
    if old:
        storage.delete(old)
    return name
