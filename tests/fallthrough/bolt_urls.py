from django_bolt.urls import path


async def hello(request):
    return {"served_by": "bolt"}


async def items(request):
    return {"items": []}


urlpatterns = [path("bolt/hello", hello), path("bolt/items/", items)]


async def whoami(request, name):
    return {"name": name, "request_id": getattr(request, "request_id", None)}


urlpatterns.append(path("bolt/who/<str:name>", whoami))


async def big(request):
    return {"rows": [{"id": i, "name": f"row {i}"} for i in range(40)]}


urlpatterns.append(path("bolt/big", big))
