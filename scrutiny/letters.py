"""A letter to a resident as an A4 PDF: the organisation's address block, the resident's name
and address, the date, and the words of the email they would have been sent.

Made by WeasyPrint as a tagged PDF (PDF/UA-1), like the reports, from a print template."""

from django.template.loader import render_to_string
from django.utils import timezone

from .models import SentEmail
from .reports import html_to_pdf


def letter_html(letter: SentEmail) -> str:
    recipient = [letter.recipient_name, *letter.postal_address.splitlines()]
    return render_to_string(
        "scrutiny/print/letter.html",
        {
            "letter": letter,
            "written": timezone.localtime(letter.sent_at),
            "recipient_lines": [line for line in recipient if line.strip()],
            "sender_lines": [line for line in letter.sender.splitlines() if line.strip()],
            "paragraphs": [part.strip("\n") for part in letter.body.split("\n\n") if part.strip()],
        },
    )


def letter_pdf(letter: SentEmail) -> bytes:
    """The letter, laid out for a window envelope on A4."""
    return html_to_pdf(letter_html(letter), base_url="/")
