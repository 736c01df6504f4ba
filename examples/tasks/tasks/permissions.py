from rest_framework import permissions


class IsOwner(permissions.BasePermission):
    message = "Only the project's owner may do this."

    def has_object_permission(self, request, view, obj):
        project = getattr(obj, "project", obj)
        return project.owner_id == request.user.id
