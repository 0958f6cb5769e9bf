"""What is inside an uploaded Word document: a document, not a macro-enabled one in disguise."""

import re
import zipfile
import zlib

from django.utils.translation import gettext_lazy as _

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The content type a .docx gives its main part; a macro-enabled document (.docm) says
# "application/vnd.ms-word.document.macroEnabled.main+xml" instead.
DOCX_MAIN_PART = DOCX_CONTENT_TYPE + ".main+xml"
CONTENT_TYPES_PART = "[Content_Types].xml"
# [Content_Types].xml is a few kilobytes; more than this is not a document Word wrote.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
CONTENT_TYPE_ATTRIBUTE = re.compile(r"""ContentType\s*=\s*["']([^"']*)["']""")

# What we tell the resident, with the file's name as %(name)s.
NOT_A_DOCUMENT = _(
    "“%(name)s” is not a real Word document. Choose a Word document (.docx) saved by Word"
)
MACROS = _(
    "“%(name)s” is a Word document with macros, which we do not accept. Save it as a Word "
    "document (.docx) without macros, or as a PDF, and choose it again"
)


def docx_problem(upload) -> str | None:
    """What is wrong with an uploaded .docx, as a message that names the file as %(name)s; None
    if nothing.

    It must be a zip whose `[Content_Types].xml` names a Word document's main part and nothing
    macro-enabled, and which holds no `vbaProject.bin`.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if CONTENT_TYPES_PART not in names:
                return NOT_A_DOCUMENT
            with archive.open(CONTENT_TYPES_PART) as part:
                content_types = part.read(CONTENT_TYPES_MAX_BYTES + 1)
    # A damaged, encrypted or oddly compressed zip is not a document Word wrote.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ):
        return NOT_A_DOCUMENT
    finally:
        upload.seek(0)
    if len(content_types) > CONTENT_TYPES_MAX_BYTES:
        return NOT_A_DOCUMENT
    declared = {
        value.strip().lower()
        for value in CONTENT_TYPE_ATTRIBUTE.findall(content_types.decode("utf-8", "replace"))
    }
    macros = any("macroenabled" in value or "vba" in value for value in declared) or any(
        name.replace("\\", "/").rsplit("/", 1)[-1].lower() == "vbaproject.bin" for name in names
    )
    if macros:
        return MACROS
    if DOCX_MAIN_PART.lower() not in declared:
        return NOT_A_DOCUMENT
    return None
