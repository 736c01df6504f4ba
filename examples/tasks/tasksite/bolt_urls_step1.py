"""Step 1: the viewsets on Bolt's base class, keeping their DRF classes (compat)."""

from tasks import bolt_compat

from django_bolt.routers import DefaultRouter
from django_bolt.urls import include, path

router = DefaultRouter()
router.register("projects", bolt_compat.ProjectViewSet, basename="project")
router.register("tasks", bolt_compat.TaskViewSet, basename="task")

urlpatterns = [path("api/", include(router.urls))]
