"""URLs the scrutiny plugin serves outside Wagtail's page tree."""

app_name = "scrutiny"

urlpatterns: list = []
