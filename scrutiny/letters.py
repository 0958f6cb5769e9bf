"""A letter to a resident as an A4 PDF: the organisation's address block, the resident's name
and address, the date, and the words of the email they would have been sent."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import SentEmail

BODY = ParagraphStyle("letter-body", fontName="Helvetica", fontSize=11, leading=15, spaceAfter=8)
BLOCK = ParagraphStyle("letter-block", fontName="Helvetica", fontSize=10, leading=13)
SENDER = ParagraphStyle("letter-sender", parent=BLOCK, alignment=2)  # right-aligned
SUBJECT = ParagraphStyle("letter-subject", parent=BODY, fontName="Helvetica-Bold")


def _lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.splitlines())


def letter_pdf(letter: SentEmail) -> bytes:
    """The letter, laid out for a window envelope on A4."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=letter.subject,
        author=letter.sender.splitlines()[0] if letter.sender else "",
    )
    written = timezone.localtime(letter.sent_at)
    recipient = "\n".join(filter(None, [letter.recipient_name, letter.postal_address]))
    heading = Table(
        [[Paragraph(_lines(recipient), BLOCK), Paragraph(_lines(letter.sender), SENDER)]],
        colWidths=[90 * mm, 75 * mm],
    )
    heading.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story = [
        heading,
        Spacer(1, 12 * mm),
        Paragraph(f"{written:%-d %B %Y}", BODY),
        Paragraph(escape(f"Our reference: {letter.reference}") if letter.reference else "", BODY),
        Paragraph(escape(letter.subject), SUBJECT),
    ]
    for paragraph in letter.body.split("\n\n"):
        if paragraph.strip():
            story.append(Paragraph(_lines(paragraph.strip("\n")), BODY))
    document.build(story)
    return buffer.getvalue()
