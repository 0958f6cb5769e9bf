"""The review report and the yearly outcomes report as tagged, accessible PDFs (PDF/UA-1).

Each PDF is the page's own report template (scrutiny/includes/review_report.html,
scrutiny/includes/outcomes_report.html) in a print frame, made into a PDF by WeasyPrint with
the plugin's stylesheet (scrutiny/css/report-print.css), so the web page and the document carry
the same sections and cannot drift apart. Django's template escaping is all the escaping there is:
nothing an editor types becomes markup.

WeasyPrint fetches nothing from the network: stylesheets and images are read from the static
files (through the finders) and from MEDIA_ROOT; any other address is refused. A PDF is cached
under a hash of the HTML it is made from, so it is made again only when the report (or a response,
or an action's progress) changes, and the page can say how big the download is.
"""

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ScrutinySettings

logger = logging.getLogger(__name__)

STYLESHEET = "scrutiny/css/report-print.css"
CACHE_TIMEOUT = 60 * 60 * 24 * 30


class LocalFileRefused(ValueError):
    """A report asked WeasyPrint for something that is not a local static or media file."""


def _local_path(url: str) -> Path | None:
    """The file on disk for a static or media URL, or None."""
    path = unquote(urlsplit(url).path)
    static_url = urlsplit(settings.STATIC_URL or "/static/").path
    media_url = urlsplit(settings.MEDIA_URL or "/media/").path
    if static_url and path.startswith(static_url):
        found = finders.find(path[len(static_url) :])
        return Path(found) if found else None
    if media_url and settings.MEDIA_ROOT and path.startswith(media_url):
        root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (root / path[len(media_url) :]).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def _local_url_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalURLFetcher(URLFetcher):
        """WeasyPrint's fetcher limited to local static and media files: no network, no file://.

        A URL counts by its path alone (under STATIC_URL or MEDIA_URL) and is read from disk.
        """

        def fetch(self, url, headers=None):
            if urlsplit(url).scheme in ("http", "https"):
                local = _local_path(url)
                if local is not None:
                    mime_type, _encoding = mimetypes.guess_type(local.name)
                    return URLFetcherResponse(
                        url,
                        local.read_bytes(),
                        {"Content-Type": mime_type or "application/octet-stream"},
                    )
            raise LocalFileRefused(f"Reports read only local static and media files, not {url!r}.")

    return LocalURLFetcher


def local_url_fetcher():
    return _local_url_fetcher_class()()


def _stylesheet_path() -> str:
    found = finders.find(STYLESHEET)
    if not found:
        raise LocalFileRefused(f"The report stylesheet {STYLESHEET} is not in the static files.")
    return found


def html_to_pdf(html: str, base_url: str) -> bytes:
    """Tagged PDF/UA-1 bytes from a print template's HTML; links resolve against base_url."""
    from weasyprint import CSS, HTML

    fetcher = local_url_fetcher()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(filename=_stylesheet_path(), url_fetcher=fetcher)],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )


@dataclass(frozen=True)
class ReportPdf:
    content: bytes
    filename: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def size_label(self) -> str:
        """The download's size as people read it: "820 bytes", "123 KB", "1.4 MB"."""
        return file_size_label(self.size)


def file_size_label(size: int) -> str:
    if size < 1024:
        return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": size}
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": round(size / 1024)}
    return _("%(size)s MB") % {"size": number_format(round(size / (1024 * 1024), 1), 1)}


def _base_url(page) -> str:
    """The site's address, so that links in the report work from the PDF."""
    site = page.get_site()
    return (site.root_url if site else "http://localhost") + "/"


def _cached_pdf(kind: str, html: str, filename: str, base_url: str) -> ReportPdf:
    digest = hashlib.sha256(f"{base_url}\n{html}".encode()).hexdigest()
    key = f"scrutiny:report-pdf:{kind}:{digest}"
    content = cache.get(key)
    if content is None:
        content = html_to_pdf(html, base_url)
        cache.set(key, content, CACHE_TIMEOUT)
    return ReportPdf(content=content, filename=filename)


def review_report_html(review, *, draft: bool = False) -> str:
    from .selectors.reviews import review_progress

    config = ScrutinySettings.load()
    return render_to_string(
        "scrutiny/print/review_report.html",
        {
            "page": review,
            "self": review,
            "progress": review_progress(review),
            "config": config,
            "draft": draft,
            "print": True,
            "generated_on": timezone.localdate(),
            "document_title": review.title,
            "document_subject": _("Scrutiny review report: %(title)s") % {"title": review.title},
        },
    )


def review_report(review, *, draft: bool = False) -> ReportPdf:
    """The report of a review (any revision of the page) as a PDF."""
    filename = f"{slugify(review.title) or 'report'}{'-draft' if draft else ''}.pdf"
    return _cached_pdf(
        "review", review_report_html(review, draft=draft), filename, _base_url(review)
    )


def report_pdf(review, *, draft: bool = False) -> bytes:
    """The report of a review as PDF bytes."""
    return review_report(review, draft=draft).content


def outcomes_report_html(page) -> str:
    from .outcomes import outcome_charts

    config = ScrutinySettings.load()
    outcomes = page.outcomes
    return render_to_string(
        "scrutiny/print/outcomes_report.html",
        {
            "page": page,
            "self": page,
            "outcomes": outcomes,
            "charts": outcome_charts(outcomes) if outcomes else [],
            "config": config,
            "draft": not page.live,
            "print": True,
            "document_title": page.title,
            "document_subject": _("Scrutiny outcomes report %(year)s")
            % {"year": page.financial_year_label},
        },
    )


def outcomes_report(page) -> ReportPdf:
    """A year's outcomes report as a PDF."""
    filename = f"{slugify(page.title) or 'outcomes-report'}.pdf"
    return _cached_pdf("outcomes", outcomes_report_html(page), filename, _base_url(page))


def pdf_response(report: ReportPdf) -> HttpResponse:
    """A download of a report as a PDF."""
    response = HttpResponse(report.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename}"'
    response["Content-Length"] = str(report.size)
    return response


def report_pdf_response(review, *, draft: bool = False) -> HttpResponse:
    """A download of a review's report as a PDF."""
    return pdf_response(review_report(review, draft=draft))


def safely(make, page) -> ReportPdf | None:
    """A report's PDF for the page's download link, or None (and a logged error) if it fails.

    The web page still shows the report when the PDF cannot be made; the link is left out.
    """
    try:
        return make(page)
    except Exception:
        logger.exception("The PDF of %r could not be made.", page)
        return None
