"""DRF's test case classes, Bolt flavoured: a DRF suite ports by changing its imports."""

from django.contrib.auth.models import User

from django_bolt.response import Response
from django_bolt.reverse import reverse
from django_bolt.test import APISimpleTestCase, APITestCase, APITransactionTestCase, URLPatternsTestCase
from django_bolt.urls import path
from django_bolt.views import APIView
from tests.app.models import Item


class Count(APIView):
    async def get(self, request):
        return Response({"items": await Item.objects.acount(), "user": str(request.user)})


class CountTests(URLPatternsTestCase, APITestCase):
    urlpatterns = [path("count/", Count.as_view(), name="count")]

    def test_the_views_orm_work_sees_the_test_transaction(self):
        Item.objects.create(name="x", price="1.00")
        self.client.force_authenticate(User.objects.create_user("ann"))
        response = self.client.get(reverse("count"))
        self.assertEqual(response.data, {"items": 1, "user": "ann"})
        self.assertContains(response, '"items":1')


class TransactionCountTests(URLPatternsTestCase, APITransactionTestCase):
    urlpatterns = [path("count/", Count.as_view())]

    def test_count(self):
        Item.objects.create(name="y", price="1.00")
        self.assertEqual(self.client.get("/count/").data["items"], 1)


class SimpleTests(APISimpleTestCase):
    def test_bolt_route(self):
        self.assertEqual(self.client.get("/hello").json(), {"message": "Hello, world!"})


def test_request_factory_drives_bolt_views(db):
    from asgiref.sync import async_to_sync

    from django_bolt.test import APIRequestFactory, force_authenticate

    Item.objects.create(name="z", price="1.00")
    factory = APIRequestFactory()
    request = factory.get("/count/")
    force_authenticate(request, user=User.objects.create_user("bea"))
    response = async_to_sync(Count.as_view())(request)
    assert response.status_code == 200
    assert response.content == b'{"items":1,"user":"bea"}'
