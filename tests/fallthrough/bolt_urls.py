from django_bolt.urls import path


async def hello(request):
    return {"served_by": "bolt"}


urlpatterns = [path("bolt/hello", hello)]
