from django_bolt.urls import path


async def hello(request):
    return {"served_by": "bolt"}


async def items(request):
    return {"items": []}


urlpatterns = [path("bolt/hello", hello), path("bolt/items/", items)]
