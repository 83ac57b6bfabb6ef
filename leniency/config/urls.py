from django.urls import include, path

from leniency.web.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("leniency.web.urls")),
]
