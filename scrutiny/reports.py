"""A review's report as a PDF, made on the server with reportlab.

Rich text is flattened to plain paragraphs and every piece of text is escaped before
reportlab's paragraph markup sees it, so nothing an editor types can change the layout.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import ScrutinySettings

BLOCK_TAGS = ["h2", "h3", "h4", "p", "li"]


def rich_text_paragraphs(html: str) -> list[str]:
    """The text of each paragraph, heading and list item in rich text, in order, unescaped."""
    if not html:
        return []
    soup = BeautifulSoup(html, "html.parser")
    blocks = soup.find_all(BLOCK_TAGS)
    if not blocks:
        text = soup.get_text(" ", strip=True)
        return [text] if text else []
    texts = []
    for block in blocks:
        text = " ".join(block.get_text(" ", strip=True).split())
        if text:
            texts.append(f"• {text}" if block.name == "li" else text)
    return texts


def _styles():
    base = getSampleStyleSheet()
    return {
        "org": ParagraphStyle("org", parent=base["Normal"], fontSize=10, textColor=colors.black),
        "title": ParagraphStyle("title", parent=base["Title"], alignment=TA_LEFT, fontSize=20),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], spaceBefore=10),
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=10.5, leading=14),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontSize=9, leading=11.5),
        "head": ParagraphStyle(
            "head", parent=base["Normal"], fontSize=9, leading=11.5, fontName="Helvetica-Bold"
        ),
    }


def _date(value) -> str:
    return date_format(value, "j F Y") if value else "not set"


def report_pdf(review, *, draft: bool = False) -> bytes:
    """The report of a review (any revision of the page) as PDF bytes."""
    config = ScrutinySettings.load()
    styles = _styles()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=review.title,
        author=config.organisation_name,
        subject=f"Scrutiny review report: {review.title}",
    )

    def para(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), styles[style])

    story = [para(f"{config.organisation_name} · {config.panel_name}", "org")]
    if draft:
        story.append(para("DRAFT: not yet approved or published", "h2"))
    story += [
        para(review.title, "title"),
        para(f"Service: {review.business_area.name}"),
        para(f"Review dates: {_date(review.starts_on)} to {_date(review.ends_on)}"),
        para(f"Report to: {config.oversight_body}"),
        Spacer(1, 4 * mm),
    ]
    sections = [
        ("Summary", review.summary),
        ("What is working well", review.working_well),
        ("Standards that fall below the expected level", review.below_standard),
    ]
    for heading, html in sections:
        texts = rich_text_paragraphs(html)
        if texts:
            story.append(para(heading, "h2"))
            story += [para(text) for text in texts]

    recommendations = list(review.recommendations.all())
    story.append(para("Recommendations", "h2"))
    if recommendations:
        rows = [
            [para(label, "head") for label in ["No.", "Recommendation", "Priority", "Responsible"]]
        ]
        for number, rec in enumerate(recommendations, start=1):
            name = rec.responsible_name
            rows.append(
                [
                    para(str(number), "cell"),
                    para(rec.recommendation, "cell"),
                    para(rec.get_priority_display(), "cell"),
                    para(name or "—", "cell"),
                ]
            )
        table = Table(rows, colWidths=[12 * mm, 104 * mm, 20 * mm, 38 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    else:
        story.append(para("The report makes no recommendations yet."))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18 * mm, 10 * mm, f"{config.organisation_name}: {review.title}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def report_pdf_response(review, *, draft: bool = False) -> HttpResponse:
    """A download of the report as a PDF."""
    response = HttpResponse(report_pdf(review, draft=draft), content_type="application/pdf")
    filename = f"{slugify(review.title) or 'report'}{'-draft' if draft else ''}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
