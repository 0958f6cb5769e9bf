"""Files from the private store (residents' evidence, receipts), sent to the one person asking."""

from django.http import FileResponse, Http404


def private_file_response(file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A file from private storage as a download that no browser or proxy keeps.

    `content_type` None lets Django guess from the name. Raises Http404 when the file is
    missing from storage."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
