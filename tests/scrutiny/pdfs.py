"""Reading the report PDFs in tests: their catalogue, metadata and structure tree."""

from io import BytesIO


def pdf_structure(content: bytes):
    """The catalogue, the document information and every structure element type in a PDF."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(BytesIO(content))
    catalog = reader.trailer["/Root"]
    types = []

    def walk(node):
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                types.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(catalog["/StructTreeRoot"])
    return catalog, reader.metadata, types
