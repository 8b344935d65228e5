"""File downloads: one way to answer with a file.

``file_response`` sets the Content-Disposition header the way Django's FileResponse does
(``django.utils.http.content_disposition_header``: quoted, and RFC 5987-encoded for names with
non-ASCII characters), but keeps the bytes in memory as a plain HttpResponse: every file the
portal sends (a PDF, a workbook, a calendar) is built in memory first.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(
    content: bytes | str, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """The file as a download (or, with ``inline``, for the browser to show)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
