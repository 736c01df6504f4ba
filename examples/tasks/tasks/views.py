from django.db.models import Count, Q
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tasks.models import Project, Task
from tasks.permissions import IsOwner
from tasks.serializers import ProjectSerializer, TaskSerializer


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
    def archive(self, request, pk=None):
        project = self.get_object()
        project.tasks.update(done=True)
        project.archived = True
        project.save(update_fields=["archived"])
        return Response(self.get_serializer(self.get_queryset().get(pk=project.pk)).data)


class TaskViewSet(viewsets.ModelViewSet):
    """Tasks of the user's projects."""

    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, IsOwner]
    filterset_fields = ["project", "done", "priority"]

    def get_queryset(self):
        return Task.objects.filter(project__owner=self.request.user)
