"""load_demo: either seed organisation, refusing to overwrite content unless asked."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from home.models import HomePage, StandardPage
from scrutiny import pipeline
from scrutiny.models import BusinessArea, Petition, ScrutinySettings
from tests.conftest import make_business_area

pytestmark = pytest.mark.django_db

PROFILES = {
    "pine-court": ("Pine Court Housing", "Customer Empowerment Panel", "EMT and Board"),
    "citizen": ("Citizen Homes", "Customer Scrutiny Panel", "Customer Assurance Committee"),
}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_each_profile_loads_its_names_pages_areas_and_accounts(profile):
    call_command("load_demo", profile=profile)
    settings = ScrutinySettings.load()
    expected = PROFILES[profile]
    assert (settings.organisation_name, settings.panel_name, settings.oversight_body) == expected
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    how = StandardPage.objects.get(slug="how-scrutiny-works")
    assert how.live and how.show_in_menus
    assert BusinessArea.objects.count() >= 6
    assert all(area.head_of_operations_name for area in BusinessArea.objects.all())
    for username, group in [
        ("comms", "Communications"),
        ("officer", "Scrutiny officers"),
        ("panel", "Panel members"),
        ("appeal", "Appeal panel"),
        ("manager", "Managers"),
    ]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.check_password("scrutiny-demo")
    assert User.objects.get(username="admin").is_superuser
    # Fixtures leave the petitions' running counts at nought; loading counts them.
    petitions = list(Petition.objects.all())
    assert petitions and any(petition.people_counted for petition in petitions)
    for petition in petitions:
        assert petition.people_counted == pipeline.petition_count(petition)


def test_the_demo_pages_are_served(client):
    call_command("load_demo")
    for path in ["/", "/how-scrutiny-works/"]:
        response = client.get(path)
        assert response.status_code == 200
    assert "What does the panel do?" in client.get("/how-scrutiny-works/").content.decode()


def test_an_unknown_profile_is_refused_in_one_line():
    with pytest.raises(CommandError, match="Unknown profile 'nowhere'. Choose one of"):
        call_command("load_demo", profile="nowhere")
    assert not BusinessArea.objects.exists()


def test_existing_content_is_kept_without_reset():
    make_business_area("Our own area")
    with pytest.raises(CommandError, match="already has content"):
        call_command("load_demo")
    assert list(BusinessArea.objects.values_list("name", flat=True)) == ["Our own area"]
    assert not User.objects.exists()


def test_if_empty_keeps_existing_content_and_succeeds():
    make_business_area("Our own area")
    call_command("load_demo", if_empty=True)
    assert list(BusinessArea.objects.values_list("name", flat=True)) == ["Our own area"]


def test_reset_replaces_the_content():
    call_command("load_demo", profile="citizen")
    call_command("load_demo", profile="pine-court", reset=True)
    assert ScrutinySettings.load().organisation_name == "Pine Court Housing"
    assert Page.objects.filter(depth=2).count() == 1
    assert User.objects.filter(username="admin").count() == 1


def test_without_a_demo_password_nothing_is_loaded(settings):
    settings.SCRUTINY_DEMO_PASSWORD = None
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")
    assert not BusinessArea.objects.exists()
