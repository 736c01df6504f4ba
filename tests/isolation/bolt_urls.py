from django_bolt.routers import DefaultRouter
from tests.isolation.views import IsolationViewSet

router = DefaultRouter()
router.register("isolation", IsolationViewSet, basename="isolation")
urlpatterns = router.urls
