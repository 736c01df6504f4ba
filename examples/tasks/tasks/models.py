"""Projects and their tasks; a project belongs to one user."""

from django.conf import settings
from django.db import models


class Project(models.Model):
    name = models.CharField(max_length=80)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="projects", on_delete=models.CASCADE)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Task(models.Model):
    PRIORITIES = [("low", "Low"), ("normal", "Normal"), ("high", "High")]

    project = models.ForeignKey(Project, related_name="tasks", on_delete=models.CASCADE)
    title = models.CharField(max_length=120)
    done = models.BooleanField(default=False)
    priority = models.CharField(max_length=6, choices=PRIORITIES, default="normal")
    due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
