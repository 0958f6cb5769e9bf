"""Reads about petitions: the public pages' paths, counts and progress, and the admin's links."""

from django.urls import reverse

from ..models import CallForScrutiny


def petition_index_page():
    """The live public petitions page, if the site has one."""
    from ..models import PetitionIndexPage

    return PetitionIndexPage.objects.live().first()


def petition_urls(petition) -> dict[str, str]:
    """Public paths for a petition: its page, and confirm/withdraw with a {token} placeholder."""
    index = petition_index_page()
    if index is None:
        return {"detail": "/", "confirm": "/", "withdraw": "/"}
    base = index.url
    return {
        "detail": base + index.reverse_subpage("petition", args=[petition.slug]),
        "confirm": base + "confirm/{token}/",
        "withdraw": base + "withdraw/{token}/",
    }


def petitions_with_counts():
    """Petitions with `signature_count`: the people counted, from the pipeline's running count."""
    from django.db.models import F

    from ..models import Petition

    return Petition.objects.annotate(signature_count=F("people_counted"))


def petitions_for_public_list():
    """Published petitions, open first then closed, each with its progress."""
    from ..models import PetitionStatus

    petitions = (
        petitions_with_counts()
        .filter(published=True)
        .exclude(status=PetitionStatus.DRAFT)
        .select_related("call__business_area")
        .order_by("-status", "closes_on", "pk")
    )
    return [
        (petition, progress_of(petition.signature_count, petition.target)) for petition in petitions
    ]


def progress_of(count: int, target: int) -> dict:
    """Signatures counted against a target, with a percentage for the progress bar."""
    percent = min(100, round(100 * count / target)) if target else 0
    return {"count": count, "target": target, "percent": percent}


def public_petition(slug: str):
    """A published petition with its service's name as `service_name`."""
    from django.db.models import F

    from ..models import Petition

    return (
        Petition.objects.filter(published=True, slug=slug)
        .annotate(service_name=F("call__business_area__name"))
        .first()
    )


def petition_admin_url(call: CallForScrutiny) -> str:
    """The admin page of a call's petition, or where to open one."""
    petition = getattr(call, "petition", None)
    if petition is not None:
        return reverse("wagtailsnippets_scrutiny_petition:inspect", args=[petition.pk])
    return reverse("wagtailsnippets_scrutiny_petition:open", args=[call.pk])
