from django_bolt import serializers
from tasks.models import Project, Task


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "project", "title", "done", "priority", "due"]

    def validate_project(self, project):
        if project.owner != self.context["request"].user:
            raise serializers.ValidationError("Not one of your projects.")
        return project


class ProjectSerializer(serializers.ModelSerializer):
    open_tasks = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "archived", "open_tasks"]
        read_only_fields = ["archived"]
