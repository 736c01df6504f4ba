"""Steps 2 and 3: the viewsets on Bolt's own classes."""

from tasks import bolt_views

from django_bolt.routers import DefaultRouter
from django_bolt.urls import include, path

router = DefaultRouter()
router.register("projects", bolt_views.ProjectViewSet, basename="project")
router.register("tasks", bolt_views.TaskViewSet, basename="task")

urlpatterns = [path("api/", include(router.urls))]
