from django.db.models import Count, Q

from django_bolt import viewsets
from django_bolt.decorators import action
from django_bolt.permissions import IsAuthenticated
from django_bolt.response import Response
from django_bolt.sync import run_sync
from tasks.bolt_permissions import IsOwner
from tasks.bolt_serializers import ProjectSerializer, TaskSerializer
from tasks.models import Project, Task


class ProjectViewSet(viewsets.ModelViewSet):
    """The projects of the signed-in user."""

    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, IsOwner]
    filterset_fields = ["archived"]

    def get_queryset(self):
        open_tasks = Count("tasks", filter=Q(tasks__done=False))
        return Project.objects.filter(owner=self.request.user).annotate(open_tasks=open_tasks)

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    async def archive(self, request, pk=None):
        project = await self.get_object()

        def archive():
            project.tasks.update(done=True)
            project.archived = True
            project.save(update_fields=["archived"])
            return self.get_serializer(self.get_queryset().get(pk=project.pk)).data

        return Response(await run_sync(archive))


class TaskViewSet(viewsets.ModelViewSet):
    """Tasks of the user's projects."""

    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, IsOwner]
    filterset_fields = ["project", "done", "priority"]

    def get_queryset(self):
        return Task.objects.filter(project__owner=self.request.user)
