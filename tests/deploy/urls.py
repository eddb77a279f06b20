"""The site's URLs plus one view that fails, to see the 500 page a reader gets."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a bug nobody should see the details of")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
